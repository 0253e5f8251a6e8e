import type { Db } from '../db/knex';

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

/** Every vendor with how many events concern it and the span of their dates. */
export async function listVendorsWithStats(db: Db): Promise<VendorWithStats[]> {
  const stats = db
    .from('event_vendors as ev')
    .join('events as e', 'e.id', 'ev.event_id')
    .whereNull('e.deleted_at')
    .groupBy('ev.vendor_id')
    .select('ev.vendor_id')
    .count({ event_count: '*' })
    .min({ first_occurred: 'e.occurred_start' })
    .max({ last_occurred: 'e.occurred_start' })
    .as('s');
  const rows = await db('vendors as v')
    .leftJoin(stats, 's.vendor_id', 'v.id')
    .select('v.*', 's.event_count', 's.first_occurred', 's.last_occurred')
    .orderBy('v.name');
  return rows.map((row: VendorRow & { event_count: number | string | null; first_occurred: string | null; last_occurred: string | null }) => ({
    ...toVendor(row),
    eventCount: Number(row.event_count ?? 0),
    firstOccurred: row.first_occurred,
    lastOccurred: row.last_occurred,
  }));
}
