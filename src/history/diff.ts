import type { Changes } from './repo';

/** A record as the history shows it: every field as display text. */
export type Snapshot = Record<string, string>;

/** The fields whose text differs between two snapshots (a missing side counts as empty). */
export function diffSnapshots(before: Snapshot | null, after: Snapshot | null): Changes {
  const changes: Changes = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const a = before?.[key] ?? '';
    const b = after?.[key] ?? '';
    if (a !== b) changes[key] = [a, b];
  }
  return changes;
}
