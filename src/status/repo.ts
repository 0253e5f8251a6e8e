import { type Db, isPostgres } from '../db/knex';

/** The year of the first measure taken (of the given event types), or null when there is none. */
export async function firstMeasureYear(db: Db, types: readonly string[], vendorId?: number): Promise<number | null> {
  if (vendorId === undefined) {
    // The first of each type is a seek on the type index; a min over every measure would read them all.
    const firsts = await Promise.all(
      types.map(
        async (type) =>
          (await db('events')
            .where('type', type)
            .whereNull('deleted_at')
            .orderBy([{ column: 'occurred_start' }, { column: 'id' }])
            .first('occurred_start')) as { occurred_start: string } | undefined,
      ),
    );
    const days = firsts.flatMap((r) => (r ? [String(r.occurred_start)] : [])).sort();
    return days.length ? Number(days[0].slice(0, 4)) : null;
  }
  // One vendor: its own rows, through event_vendors' vendor index.
  const row = (await db('event_vendors as ev')
    .join('events as e', 'e.id', 'ev.event_id')
    .where('ev.vendor_id', vendorId)
    .whereNull('e.deleted_at')
    .whereIn('e.type', [...types])
    .min({ first: 'e.occurred_start' })
    .first()) as { first: string | null } | undefined;
  return row?.first ? Number(String(row.first).slice(0, 4)) : null;
}

// ---- the status board (board.ts) ------------------------------------------------------

const LIFTING_TYPE = 'restriction-lifted';
const ENDING_RELATIONS = ['reverses', 'supersedes'];

/** A vendor's strongest measure in one jurisdiction, as the board and the maintained table read it. */
export interface StatusCellRow {
  public_id: string;
  title: string;
  type: string;
  jurisdiction: string;
  since: string;
  vendor_slug: string;
  vendor_name: string;
}

function rowsOf<T>(db: Db, result: unknown): T[] {
  return (isPostgres(db) ? (result as { rows: T[] }).rows : result) as T[];
}

/**
 * The board's cells for the given vendors (or every vendor), in one SQL statement: the
 * candidates are the listed vendors' measures (`measureTypes`, strongest first) in force by
 * `asOf` that nothing lifted, reversed or superseded by then (lifts read once per vendor and
 * jurisdiction, not once per measure); a window picks the strongest (then the latest) per
 * vendor and jurisdiction. Each candidate reads its own vendor's rows only (event_vendors'
 * vendor index), so a page of vendors costs what those vendors hold.
 */
export async function findBoardCellRows(
  db: Db,
  asOf: string,
  vendorIds: readonly number[] | 'all',
  measureTypes: readonly string[],
): Promise<StatusCellRow[]> {
  if (vendorIds !== 'all' && vendorIds.length === 0) return [];
  const since = (alias: string) => `coalesce(${alias}.effective_start, ${alias}.occurred_start)`;
  // Outside PostgreSQL, CROSS JOIN keeps SQLite reading from the vendors' rows (see events/repo.ts).
  const join = isPostgres(db) ? 'join' : 'cross join';
  // Ranks are the positions in measureTypes, written as numbers (not text-typed parameters) so they sort as numbers.
  const rank = `case e.type ${measureTypes.map((_t, i) => `when ? then ${i}`).join(' ')} end`;
  const vendorFilter = vendorIds === 'all' ? '' : `and ev.vendor_id in (${vendorIds.map(() => '?').join(', ')})`;
  // The latest lift per vendor and jurisdiction, read once: a measure is lifted when a
  // lift in force by asOf came on or after it (the latest such lift decides).
  const sql = `
    with lifts as (
      select ev.vendor_id, e.jurisdiction, max(${since('e')}) as lifted_since
      from event_vendors ev ${join} events e on e.id = ev.event_id
      where e.deleted_at is null
        ${vendorFilter}
        and e.type = ?
        and ${since('e')} <= ?
        -- A lift that a court (or anyone) reversed or superseded by asOf no longer lifts.
        and not exists (
          select 1 from event_links l ${join} events g on g.id = l.from_event_id
          where l.to_event_id = e.id and l.relation in (${ENDING_RELATIONS.map(() => '?').join(', ')})
            and g.deleted_at is null and ${since('g')} <= ?)
      group by ev.vendor_id, e.jurisdiction
    ),
    candidates as (
      select e.id, e.public_id, e.title, e.type, e.jurisdiction, ${since('e')} as since, ev.vendor_id, ${rank} as rank
      from event_vendors ev ${join} events e on e.id = ev.event_id
      left join lifts lf on lf.vendor_id = ev.vendor_id and lf.jurisdiction = e.jurisdiction
      where e.deleted_at is null
        ${vendorFilter}
        and e.type in (${measureTypes.map(() => '?').join(', ')})
        and ${since('e')} <= ?
        and (lf.lifted_since is null or lf.lifted_since < ${since('e')})
        and not exists (
          select 1 from event_links l ${join} events f on f.id = l.from_event_id
          where l.to_event_id = e.id and l.relation in (${ENDING_RELATIONS.map(() => '?').join(', ')})
            and f.deleted_at is null and ${since('f')} <= ?)
    ),
    ranked as (
      select candidates.*, row_number() over (partition by vendor_id, jurisdiction order by rank, since desc, id) as n
      from candidates
    )
    select r.public_id, r.title, r.type, r.jurisdiction, r.since, v.slug as vendor_slug, v.name as vendor_name
    from ranked r join vendors v on v.id = r.vendor_id
    where r.n = 1`;
  const vendorBindings = vendorIds === 'all' ? [] : vendorIds;
  const bindings = [
    ...vendorBindings,
    LIFTING_TYPE,
    asOf,
    ...ENDING_RELATIONS,
    asOf,
    ...measureTypes,
    ...vendorBindings,
    ...measureTypes,
    asOf,
    ...ENDING_RELATIONS,
    asOf,
  ];
  return rowsOf<StatusCellRow>(db, await db.raw(sql, bindings));
}

/** The vendors of one page of the board, by name, after the vendor `after` (its name and id). */
export async function listVendorPageByName(
  db: Db,
  limit: number,
  after?: readonly [string, number],
): Promise<Array<{ id: number; name: string }>> {
  const query = db('vendors')
    .select('id', 'name')
    .orderBy([{ column: 'name' }, { column: 'id' }])
    .limit(limit);
  if (after) {
    const [name, id] = after;
    query.whereRaw('(name, id) > (?, ?)', [name, id]);
  }
  return query;
}

// ---- the maintained measures in force (inForce.ts) ---------------------------------------

/** Stretches in force on the day bound twice at `?`. */
const IN_FORCE = 'm.valid_from <= ? and (m.valid_until is null or m.valid_until > ?)';

/** The jurisdictions that ever had one of the measures: a handful of rows from the maintained counts. */
export async function listJurisdictionsWithMeasures(db: Db, measureTypes: readonly string[]): Promise<string[]> {
  return rowsOf<{ jurisdiction: string }>(
    db,
    await db.raw(
      `select distinct jurisdiction from event_counts where events > 0 and type in (${measureTypes.map(() => '?').join(', ')})`,
      [...measureTypes],
    ),
  ).map((r) => r.jurisdiction);
}

/**
 * Per jurisdiction, the position in `measureTypes` (strongest first) of the strongest measure
 * in force there on `asOf` against any vendor; jurisdictions with none are left out. One index
 * probe (measures_in_force_map_idx) per measure, strongest first, until one holds.
 */
export async function findStrongestRanks(
  db: Db,
  codes: readonly string[],
  measureTypes: readonly string[],
  asOf: string,
): Promise<Array<{ jurisdiction: string; rank: number }>> {
  if (codes.length === 0) return [];
  const held = `select 1 from measures_in_force m where m.jurisdiction = j.jurisdiction and m.type = ? and ${IN_FORCE}`;
  const strongest = `case ${measureTypes.map((_t, i) => `when exists (${held}) then ${i}`).join(' ')} end`;
  return rowsOf<{ jurisdiction: string; rank: number | string | null }>(
    db,
    await db.raw(
      `select j.jurisdiction, ${strongest} as rank from (${codes.map(() => 'select cast(? as varchar(8)) as jurisdiction').join(' union all ')}) j`,
      [...measureTypes.flatMap((type) => [type, asOf, asOf]), ...codes],
    ),
  )
    .filter((r) => r.rank !== null)
    .map((r) => ({ jurisdiction: r.jurisdiction, rank: Number(r.rank) }));
}

/** The first stretches of one measure in force in a jurisdiction, in index order (valid_from), with their vendors and events. */
export async function findFirstStretches(
  db: Db,
  jurisdiction: string,
  type: string,
  asOf: string,
  limit: number,
): Promise<Array<StatusCellRow & { vendor_id: number | string }>> {
  return rowsOf(
    db,
    await db.raw(
      `select m.vendor_id, m.jurisdiction, m.type, m.since, e.public_id, e.title, v.slug as vendor_slug, v.name as vendor_name
       from (select * from measures_in_force m where m.jurisdiction = ? and m.type = ? and ${IN_FORCE} order by m.valid_from, m.vendor_id limit ?) m
       join vendors v on v.id = m.vendor_id
       join events e on e.id = m.event_id
       order by m.valid_from, v.name, m.vendor_id`,
      [jurisdiction, type, asOf, asOf, limit],
    ),
  );
}

/**
 * Which of the measures at least one vendor holds in a jurisdiction on `asOf`: one statement
 * of index probes, one per measure, so a caller walking the measures skips the absent ones.
 */
export async function findMeasureTypesHeld(db: Db, code: string, measureTypes: readonly string[], asOf: string): Promise<Set<string>> {
  if (measureTypes.length === 0) return new Set();
  const held = `select 1 from measures_in_force m where m.jurisdiction = ? and m.type = ? and ${IN_FORCE}`;
  const rows = rowsOf<{ type: string }>(
    db,
    await db.raw(
      measureTypes.map(() => `select cast(? as varchar(32)) as type where exists (${held})`).join(' union all '),
      measureTypes.flatMap((type) => [type, code, type, asOf, asOf]),
    ),
  );
  return new Set(rows.map((r) => r.type));
}

/**
 * Vendors (at most `limit`, in index order) holding measure `type` in force in a jurisdiction
 * on `asOf` and none of the `stronger` ones there.
 */
export async function findVendorsWhoseStrongestIs(
  db: Db,
  code: string,
  type: string,
  stronger: readonly string[],
  asOf: string,
  limit: number,
): Promise<number[]> {
  const notStronger = stronger.length
    ? `and not exists (select 1 from measures_in_force s where s.vendor_id = m.vendor_id and s.jurisdiction = m.jurisdiction
         and s.type in (${stronger.map(() => '?').join(', ')}) and s.valid_from <= ? and (s.valid_until is null or s.valid_until > ?))`
    : '';
  return rowsOf<{ vendor_id: number | string }>(
    db,
    await db.raw(
      `select distinct m.vendor_id from measures_in_force m where m.jurisdiction = ? and m.type = ? and ${IN_FORCE} ${notStronger} limit ?`,
      [code, type, asOf, asOf, ...(stronger.length ? [...stronger, asOf, asOf] : []), limit],
    ),
  ).map((r) => Number(r.vendor_id));
}

/** Each listed vendor's cell for one measure in a jurisdiction: its latest stretch in force (then the first event). */
export async function findLatestStretchCells(
  db: Db,
  vendorIds: readonly number[],
  code: string,
  type: string,
  asOf: string,
): Promise<StatusCellRow[]> {
  if (vendorIds.length === 0) return [];
  return rowsOf<StatusCellRow>(
    db,
    await db.raw(
      `select x.jurisdiction, x.type, x.since, e.public_id, e.title, v.slug as vendor_slug, v.name as vendor_name
       from (
         select m.jurisdiction, m.type, m.vendor_id, m.event_id, m.since,
                row_number() over (partition by m.vendor_id order by m.since desc, m.event_id) as n
         from measures_in_force m
         where m.vendor_id in (${vendorIds.map(() => '?').join(', ')}) and m.jurisdiction = ? and m.type = ? and ${IN_FORCE}
       ) x
       join vendors v on v.id = x.vendor_id
       join events e on e.id = x.event_id
       where x.n = 1
       order by x.since, v.name, v.id`,
      [...vendorIds, code, type, asOf, asOf],
    ),
  );
}

/** How many vendor-and-jurisdiction cells are in force on `asOf`, and in how many jurisdictions. */
export async function countCellsInForce(db: Db, asOf: string): Promise<{ cells: number; jurisdictions: number }> {
  const [row] = rowsOf<{ cells: number | string; jurisdictions: number | string }>(
    db,
    await db.raw(
      `select count(*) as cells, count(distinct jurisdiction) as jurisdictions
       from (select distinct m.vendor_id, m.jurisdiction from measures_in_force m where ${IN_FORCE}) c`,
      [asOf, asOf],
    ),
  );
  return { cells: Number(row?.cells ?? 0), jurisdictions: Number(row?.jurisdictions ?? 0) };
}
