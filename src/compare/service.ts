import type { Db } from '../db/knex';
import type { EventDetail } from '../events/repo';
import { listTimeline } from '../events/service';
import { BadParameter, singleParam } from '../lib/errors';
import { jurisdictionName } from '../lib/jurisdiction';
import { PartialDateError, parsePartialDate } from '../lib/partialDate';
import { type StatusCell, statusBoard } from '../status/board';
import { findVendorBySlug, type Vendor } from '../vendors/repo';
import { vendorChoices } from '../vendors/service';

/** Vendors one comparison may hold, and events drawn per vendor. */
export const MAX_COMPARED = 6;
export const COMPARE_EVENTS_PER_VENDOR = 400;
const VENDOR_CHOICES = 300;

export interface ComparedVendor {
  vendor: Vendor;
  events: EventDetail[];
  truncated: boolean;
  cells: StatusCell[];
}

export interface Comparison {
  asOf: string;
  /** The slugs as asked for, cleaned: to keep the form as the reader left it. */
  slugs: string[];
  compared: ComparedVendor[];
  /** Jurisdictions where any compared vendor has a measure in force, with each vendor's cell. */
  rows: Array<{ code: string; name: string; cells: Array<StatusCell | null> }>;
  choices: Array<{ slug: string; name: string }>;
}

function parseAsOf(query: Record<string, unknown>, today: string): string {
  const raw = singleParam(query, 'as_of');
  if (!raw) return today;
  try {
    const date = parsePartialDate(raw);
    if (date.precision !== 'day') throw new PartialDateError('give a full date, such as 2018-06-30');
    return date.value;
  } catch (err) {
    if (err instanceof PartialDateError) throw new BadParameter('as_of', `"${raw}" is not a day: ${err.message}`);
    throw err;
  }
}

/** `vendors=a,b,c` (commas; the form's repeated checkboxes arrive joined the same way). */
function parseSlugs(query: Record<string, unknown>): string[] {
  const value = query.vendors;
  const parts = (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => {
    if (typeof v !== 'string') throw new BadParameter('vendors', 'give vendor slugs separated by commas');
    return v;
  });
  const slugs = [
    ...new Set(
      parts
        .flatMap((p) => p.split(','))
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  if (slugs.length > MAX_COMPARED) throw new BadParameter('vendors', `compare at most ${MAX_COMPARED} vendors at a time`);
  return slugs;
}

export async function compareVendors(db: Db, query: Record<string, unknown>, today: string): Promise<Comparison> {
  const slugs = parseSlugs(query);
  const asOf = parseAsOf(query, today);
  const vendors: Vendor[] = [];
  for (const slug of slugs) {
    const vendor = await findVendorBySlug(db, slug);
    if (!vendor) throw new BadParameter('vendors', `no vendor is recorded as "${slug}"`);
    vendors.push(vendor);
  }
  const [choices, compared] = await Promise.all([
    vendorChoices(db, VENDOR_CHOICES),
    Promise.all(
      vendors.map(async (vendor) => {
        const [events, cells] = await Promise.all([
          listTimeline(db, { vendorId: vendor.id, order: 'asc' }, COMPARE_EVENTS_PER_VENDOR + 1),
          statusBoard(db, asOf, vendor.id),
        ]);
        return { vendor, events: events.slice(0, COMPARE_EVENTS_PER_VENDOR), truncated: events.length > COMPARE_EVENTS_PER_VENDOR, cells };
      }),
    ),
  ]);
  const codes = [...new Set(compared.flatMap((c) => c.cells.map((cell) => cell.jurisdiction)))].sort((a, b) =>
    jurisdictionName(a).localeCompare(jurisdictionName(b)),
  );
  const rows = codes.map((code) => ({
    code,
    name: jurisdictionName(code),
    cells: compared.map((c) => c.cells.find((cell) => cell.jurisdiction === code) ?? null),
  }));
  return { asOf, slugs, compared, rows, choices };
}
