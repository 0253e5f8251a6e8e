import type { Db } from '../db/knex';

/** Vendors to offer for a comparison, by name; bounded (the vendors_name_idx index serves it). */
export async function listVendorChoices(db: Db, limit: number): Promise<Array<{ slug: string; name: string }>> {
  return db('vendors').select('slug', 'name').orderBy([{ column: 'name' }, { column: 'id' }]).limit(limit);
}
