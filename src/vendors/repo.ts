import { countAtMost, type Db } from '../db/knex';

export interface Vendor {
  id: number;
  slug: string;
  name: string;
  aliases: string[];
  country: string | null;
  website: string | null;
  description: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface VendorWithStats extends Vendor {
  eventCount: number;
  firstOccurred: string | null;
  lastOccurred: string | null;
}

interface VendorRow {
  id: number;
  slug: string;
  name: string;
  aliases: string;
  country: string | null;
  website: string | null;
  description: string;
  version: number;
  created_at: string;
  updated_at: string;
}

const ALIAS_SEPARATOR = '\n';

export function toVendor(row: VendorRow): Vendor {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    aliases: row.aliases ? row.aliases.split(ALIAS_SEPARATOR) : [],
    country: row.country,
    website: row.website,
    description: row.description,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function aliasesColumn(aliases: readonly string[]): string {
  return aliases.join(ALIAS_SEPARATOR);
}

export async function findVendorBySlug(db: Db, slug: string): Promise<Vendor | null> {
  const row = await db<VendorRow>('vendors').where({ slug }).first();
  return row ? toVendor(row) : null;
}

export async function listVendors(db: Db): Promise<Vendor[]> {
  const rows = await db<VendorRow>('vendors').orderBy('name');
  return rows.map(toVendor);
}

/** Where a page of vendors (in name order) starts and how many it holds. */
export interface VendorPageOptions {
  limit: number;
  /** The name and id of the last vendor of the previous page. */
  after?: readonly [string, number];
}

type StatsRow = { vendor_id: number | string; event_count: number | string; first_occurred: string | null; last_occurred: string | null };

/**
 * Every vendor (or one page of them, by name) with how many events concern it and the
 * span of their dates. The counts read only the listed vendors' links (vendorStatsQuery),
 * so a page costs what it shows.
 */
export async function listVendorsWithStats(db: Db, page?: VendorPageOptions): Promise<VendorWithStats[]> {
  const query = db<VendorRow>('vendors').orderBy([{ column: 'name' }, { column: 'id' }]);
  if (page) {
    query.limit(page.limit);
    if (page.after) {
      const [name, id] = page.after;
      query.whereRaw('(name, id) > (?, ?)', [name, id]);
    }
  }
  const vendors = (await query) as VendorRow[];
  const ids = page ? vendors.map((v) => v.id) : undefined;
  const rows = ids?.length === 0 ? [] : ((await vendorStatsQuery(db, ids)) as StatsRow[]);
  const stats = new Map(rows.map((r) => [Number(r.vendor_id), r]));
  return vendors.map((row) => {
    const s = stats.get(Number(row.id));
    return {
      ...toVendor(row),
      eventCount: Number(s?.event_count ?? 0),
      firstOccurred: s?.first_occurred ?? null,
      lastOccurred: s?.last_occurred ?? null,
    };
  });
}

/**
 * Event count and date span per vendor, for the given vendors (or all): from the links alone,
 * which carry their event's first day and whether it is live (202611291800_vendor_link_dates),
 * so the (vendor_id, live, occurred_start) index answers without reading `events`.
 */
export function vendorStatsQuery(db: Db, vendorIds?: number[]) {
  const query = db('event_vendors')
    .where('live', 1)
    .groupBy('vendor_id')
    .select('vendor_id')
    .count({ event_count: '*' })
    .min({ first_occurred: 'occurred_start' })
    .max({ last_occurred: 'occurred_start' });
  if (vendorIds) query.whereIn('vendor_id', vendorIds);
  return query;
}

/** Vendors to offer for a comparison, by name; bounded (the vendors_name_idx index serves it). */
export async function listVendorChoices(db: Db, limit: number): Promise<Array<{ slug: string; name: string }>> {
  return db('vendors')
    .select('slug', 'name')
    .orderBy([{ column: 'name' }, { column: 'id' }])
    .limit(limit);
}

/**
 * Every vendor by name when there are at most `max`, else null: a drop-down too long to use
 * is not offered. The count stops after `max + 1` rows (SQLite reads them from an index), so
 * a big catalogue costs no names read only to be dropped.
 */
export async function listVendorChoicesUpTo(db: Db, max: number): Promise<Array<{ slug: string; name: string }> | null> {
  return (await countAtMost(db, db('vendors').select('id'), max + 1)) > max ? null : listVendorChoices(db, max);
}
