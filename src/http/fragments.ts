import type { Application } from 'express';
import type { Db } from '../db/knex';
import { readDataVersion } from '../db/dataVersion';

/**
 * Parts of pages kept in memory until the data behind them changes, for every reader, signed
 * in or not (the anonymous page cache keeps whole pages, for anonymous readers only).
 *
 * A part is kept under the `data_version` counter read before it was computed: the counter
 * moves when a write commits, so a kept part is never older than its version, only sometimes
 * newer (then it is computed again, never served stale). Any write to what pages show moves
 * the counter, whoever makes it (forms, the import, another process).
 *
 * Only what is the same for every reader may be kept here: never a user's name, a CSRF token
 * or anything else of one session. Callers render such parts with the app's locals alone.
 *
 * A part is kept from the second time it is asked for at one version, so parts asked for once
 * (every filter a crawler tries) do not push out those read again and again. Readers asking for
 * a kept part while it is computed share that one computation. The least recently used parts
 * go first past `maxBytes`.
 */
export interface FragmentCacheOptions {
  /** Total bytes of the kept parts. */
  maxBytes?: number;
  /** Parts larger than this are computed for each request, never kept. */
  maxEntryBytes?: number;
  /** How many keys asked for once are remembered (a part is kept the second time it is asked for). */
  maxSeen?: number;
}

/** A kept part: its bytes, and whatever else the page needs beside them. */
export interface Fragment {
  bytes: Buffer;
}

interface Entry<T extends Fragment> {
  version: string;
  value: Promise<T>;
  bytes: number;
}

export class FragmentCache<T extends Fragment> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Keys asked for, with the version they were last asked at (oldest first). */
  private readonly seen = new Map<string, string>();
  private readonly maxSeen: number;
  private bytes = 0;
  private readonly maxBytes: number;
  private readonly maxEntryBytes: number;

  /** `readVersion`: the data's version now, or null when it cannot be told (then nothing is kept). */
  constructor(
    private readonly readVersion: () => Promise<string | null>,
    options: FragmentCacheOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.maxEntryBytes = options.maxEntryBytes ?? 2 * 1024 * 1024;
    this.maxSeen = options.maxSeen ?? 10_000;
  }

  /** The part under `key` as of the data's current version: kept, or computed now (and kept if asked for before). */
  async get(key: string, compute: () => Promise<T>): Promise<T> {
    const version = await this.readVersion();
    if (version === null) return compute();
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      // Most recently used last, so the oldest go first.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    // Kept from the second time it is asked for at one version: a part asked for once (a crawler
    // walking every filter) is computed and dropped, not held in memory until pushed out.
    if (this.seen.get(key) !== version) {
      this.seen.delete(key);
      this.seen.set(key, version);
      if (this.seen.size > this.maxSeen) this.seen.delete(this.seen.keys().next().value as string);
      return compute();
    }
    const entry: Entry<T> = { version, value: compute(), bytes: 0 };
    this.put(key, entry);
    let value: T;
    try {
      value = await entry.value;
    } catch (err) {
      // An error (a missing vendor, a database fault) is never kept.
      if (this.entries.get(key) === entry) this.remove(key);
      throw err;
    }
    if (this.entries.get(key) === entry) {
      if (value.bytes.length > this.maxEntryBytes) this.remove(key);
      else {
        entry.bytes = value.bytes.length;
        this.bytes += entry.bytes;
        this.evict();
      }
    }
    return value;
  }

  /**
   * `get` while the app keeps its compiled templates; while they are read again on every render
   * (NODE_ENV=development), a part is computed each time, so a template being edited shows at once.
   */
  forApp(app: Application, key: string, compute: () => Promise<T>): Promise<T> {
    return app.enabled('view cache') ? this.get(key, compute) : compute();
  }

  /** How many parts are kept, and their bytes (for tests). */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private put(key: string, entry: Entry<T>): void {
    if (this.entries.has(key)) this.remove(key);
    this.entries.set(key, entry);
  }

  private remove(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.bytes -= old.bytes;
    this.entries.delete(key);
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(key);
    }
  }
}

/** A cache of parts kept while the database's `data_version` counter stays where it was. */
export function whileDataUnchanged<T extends Fragment>(db: Db, options: FragmentCacheOptions = {}): FragmentCache<T> {
  return new FragmentCache<T>(() => readDataVersion(db), options);
}
