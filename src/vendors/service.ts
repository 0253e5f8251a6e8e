import type { Db } from '../db/knex';
import { NotFound } from '../http/errors';
import { type Vendor, type VendorWithStats, findVendorBySlug, listVendorsWithStats } from './repo';

export async function getVendor(db: Db, slug: string): Promise<Vendor> {
  const vendor = await findVendorBySlug(db, slug);
  if (!vendor) throw new NotFound(`No vendor is recorded as "${slug}".`);
  return vendor;
}

export async function listVendorOverview(db: Db): Promise<VendorWithStats[]> {
  return listVendorsWithStats(db);
}
