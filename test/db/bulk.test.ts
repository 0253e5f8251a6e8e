import { insertRows, insertRowsReturningIds, whereInValues } from '../../src/db/bulk';
import { createTestDb, describeEachDatabase, type TestDb } from '../helpers/testDb';

// The bulk writers send rows as one JSON parameter; what they store must be what a plain
// knex insert of the same values stores, cell by cell, on both databases.
describeEachDatabase('bulk inserts', (kind) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await createTestDb(kind, { migrate: false });
    for (const table of ['bulk_plain', 'bulk_json'])
      await t.db.schema.createTable(table, (b) => {
        b.increments('id');
        b.string('label', 200).notNullable();
        b.text('body');
        b.integer('amount');
        b.double('ratio');
        b.date('day');
        b.smallint('flag');
      });
  });
  afterAll(async () => t?.cleanup());

  const rows = [
    { label: 'plain', body: 'text', amount: 3, ratio: 0.25, day: '2017-09-13', flag: 1 },
    { label: 'quotes \' " \\ and ; -- drop', body: '{"looks": ["like", "json"]}', amount: -7, ratio: 1e-9, day: null, flag: 0 },
    {
      label: 'unicode: Лаборатория Касперского, 卡巴斯基, 🛡️',
      body: 'line\nbreak\ttab\rreturn',
      amount: 0,
      ratio: 12345.5,
      day: '2018-06-13',
      flag: true,
    },
    { label: 'empty and missing', body: '', amount: undefined, ratio: null, day: undefined, flag: false },
    { label: '2017', body: '42', amount: 2_147_483_647, ratio: 3, day: '2000-01-01', flag: null },
  ];

  const read = (table: string) =>
    t.db(table).orderBy('id').select('label', 'body', 'amount', 'ratio', 'day', 'flag') as Promise<Array<Record<string, unknown>>>;

  it('stores every kind of cell as a plain insert of the same values does', async () => {
    await t
      .db('bulk_plain')
      .insert(rows.map((r) => ({ ...r, amount: r.amount ?? null, day: r.day ?? null, flag: r.flag === null ? null : Number(r.flag) })));
    await insertRows(t.db, 'bulk_json', rows);
    const json = await read('bulk_json');
    expect(json).toEqual(await read('bulk_plain'));
    expect(json[1].label).toBe('quotes \' " \\ and ; -- drop');
    expect(json[3].amount).toBeNull();
  });

  it('stores a lone surrogate as U+FFFD, as the drivers bind it', async () => {
    await insertRows(t.db, 'bulk_json', [{ label: 'lone \ud800 surrogate', body: 'and \udc00 another' }]);
    const row = await t.db('bulk_json').where('label', 'like', 'lone %').first('label', 'body');
    expect(row).toEqual({ label: 'lone \ufffd surrogate', body: 'and \ufffd another' });
  });

  it('returns the ids in the order given, across statements', async () => {
    const many = Array.from({ length: 4_500 }, (_, i) => ({
      label: `row-${i}`,
      body: null,
      amount: i,
      ratio: null,
      day: null,
      flag: null,
    }));
    const ids = await insertRowsReturningIds(t.db, 'bulk_json', many);
    expect(ids).toHaveLength(4_500);
    const stored = new Map(
      (
        (await t
          .db('bulk_json')
          .whereIn('id', ids.slice(0, 10).concat(ids.slice(-10)))
          .select('id', 'amount')) as Array<{ id: number; amount: number }>
      ).map((r) => [Number(r.id), Number(r.amount)]),
    );
    for (const i of [0, 1, 9, 4_490, 4_499]) expect(stored.get(ids[i])).toBe(i);
  });

  it('refuses values it cannot send as JSON cells, writing nothing', async () => {
    const before = Number((await t.db('bulk_json').count({ n: '*' }).first())?.n);
    await expect(insertRows(t.db, 'bulk_json', [{ label: 'a date object', day: new Date() }])).rejects.toThrow(/not \[object Date\]/);
    await expect(insertRows(t.db, 'bulk_json', [{ label: 'a buffer', body: Buffer.from('x') }])).rejects.toThrow(/bulk insert/);
    expect(Number((await t.db('bulk_json').count({ n: '*' }).first())?.n)).toBe(before);
  });

  // Lookups send their lists as one JSON parameter on SQLite (json_each), a plain in (…) on
  // PostgreSQL: the same rows either way, and an index still drives the SQLite lookup.
  it('finds rows by a list of values sent as one parameter, as whereIn does', async () => {
    const labels = [
      'plain',
      'quotes \' " \\ and ; -- drop',
      'unicode: Лаборатория Касперского, 卡巴斯基, 🛡️',
      'lone \ud800 surrogate',
      'nowhere',
    ];
    const found = await whereInValues(t.db('bulk_json'), 'label', labels).orderBy('id').pluck('label');
    expect(found).toEqual(await t.db('bulk_json').whereIn('label', labels).orderBy('id').pluck('label'));
    expect(found).toEqual(expect.arrayContaining(['plain', 'lone \ufffd surrogate']));
    const ids = (await t.db('bulk_json').orderBy('id').limit(3).pluck('id')).map(Number);
    expect((await whereInValues(t.db('bulk_json'), 'bulk_json.id', ids).pluck('id')).map(Number).sort((a, b) => a - b)).toEqual(ids);
    expect(await whereInValues(t.db('bulk_json'), 'id', []).pluck('id')).toEqual([]);
    if (kind === 'sqlite') {
      await t.db.schema.alterTable('bulk_json', (b) => b.index(['label'], 'bulk_json_label_idx'));
      const query = whereInValues(t.db('bulk_json'), 'label', labels).select('id').toSQL();
      const plan = (await t.db.raw(`explain query plan ${query.sql}`, query.bindings as never)) as Array<{ detail: string }>;
      expect(plan.map((p) => p.detail)).toContainEqual(
        expect.stringMatching(/^SEARCH bulk_json USING (COVERING )?INDEX bulk_json_label_idx \(label=\?\)/),
      );
    }
  });
});
