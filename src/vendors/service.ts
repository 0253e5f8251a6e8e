import type { Db } from '../db/knex';
import { insertVersioned, updateIfVersion } from '../db/versioned';
import { onUniqueViolation } from '../db/errors';
import { diffSnapshots, type Snapshot } from '../history/diff';
import { type Editor, insertRevision } from '../history/repo';
import { VersionConflict, NotFound } from '../lib/errors';
import { FormInvalid } from '../lib/input';
import { slugify } from '../lib/slug';
import { nowIso } from '../lib/time';
import { decodePageKey, keysetPage, type KeysetPage } from '../lib/keyset';
import {
  aliasesColumn,
  findVendorBySlug,
  listVendorChoices,
  listVendors,
  listVendorsWithStats,
  type Vendor,
  type VendorPageOptions,
  type VendorWithStats,
} from './repo';
import type { VendorEdit, VendorInput } from './schema';

export type { Vendor } from './repo';

/** Every vendor by name, for the filters that offer them all. */
export async function listAllVendors(db: Db): Promise<Vendor[]> {
  return listVendors(db);
}

/** Vendors to offer in a bounded choice (a comparison, the events filter), by name. */
export async function vendorChoices(db: Db, limit: number): Promise<Array<{ slug: string; name: string }>> {
  return listVendorChoices(db, limit);
}

export async function getVendor(db: Db, slug: string): Promise<Vendor> {
  const vendor = await findVendorBySlug(db, slug);
  if (!vendor) throw new NotFound(`No vendor is recorded as "${slug}".`);
  return vendor;
}

/** Every vendor with its event count and span; all of them unless a page is asked for. */
export async function listVendorOverview(db: Db, page?: VendorPageOptions): Promise<VendorWithStats[]> {
  return listVendorsWithStats(db, page);
}

/** How many vendors a page of the vendor list shows. */
export const VENDOR_PAGE_SIZE = 100;

/** One page of vendors by name, after the one `after` names (an encoded page key), and the key of the next page. */
export async function vendorOverviewPage(db: Db, after: string, limit = VENDOR_PAGE_SIZE): Promise<KeysetPage<VendorWithStats>> {
  const key = after ? decodePageKey(after, ['string', 'number'] as const, 'after') : undefined;
  const rows = await listVendorsWithStats(db, { limit: limit + 1, after: key });
  return keysetPage(rows, limit, (v) => [v.name, v.id]);
}

export function vendorSnapshot(v: Pick<Vendor, 'slug' | 'name' | 'aliases' | 'country' | 'website' | 'description'>): Snapshot {
  return {
    slug: v.slug,
    name: v.name,
    aliases: v.aliases.join('\n'),
    country: v.country ?? '',
    website: v.website ?? '',
    description: v.description,
  };
}

function columns(data: VendorInput) {
  return {
    name: data.name,
    aliases: aliasesColumn(data.aliases),
    country: data.country,
    website: data.website,
    description: data.description,
  };
}

export async function createVendor(db: Db, by: Editor, data: VendorInput): Promise<Vendor> {
  const slug = data.slug || slugify(data.name);
  if (!slug) throw new FormInvalid({ slug: 'Enter a slug: the name has no letters or digits to make one from.' });
  if (await findVendorBySlug(db, slug)) throw new FormInvalid({ slug: `The slug "${slug}" is taken; choose another.` });
  const now = nowIso();
  const taken = () => new FormInvalid({ slug: `The slug "${slug}" is taken; choose another.` });
  await onUniqueViolation(
    'vendors',
    'slug',
    taken,
    db.transaction(async (trx) => {
      const id = await insertVersioned(trx, 'vendors', { slug, ...columns(data) }, now);
      await insertRevision(trx, {
        entityType: 'vendor',
        entityId: id,
        action: 'create',
        version: 1,
        by,
        at: now,
        changes: diffSnapshots(null, vendorSnapshot({ ...data, slug })),
      });
    }),
  );
  return getVendor(db, slug);
}

/** Saves an edit made on `version`; the slug stays as it is, so links keep working. */
export async function updateVendor(db: Db, by: Editor, slug: string, version: number, edit: VendorEdit): Promise<Vendor> {
  const current = await getVendor(db, slug);
  const data = { ...edit, slug };
  const now = nowIso();
  await db.transaction(async (trx) => {
    if (!(await updateIfVersion(trx, 'vendors', current.id, version, { ...columns(data), updated_at: now }))) {
      throw new VersionConflict(await findVendorBySlug(trx, slug));
    }
    await insertRevision(trx, {
      entityType: 'vendor',
      entityId: current.id,
      action: 'update',
      version: version + 1,
      by,
      at: now,
      changes: diffSnapshots(vendorSnapshot(current), vendorSnapshot({ ...data, slug })),
    });
  });
  return getVendor(db, slug);
}
