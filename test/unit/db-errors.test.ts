import { constraintViolation, databaseFault, isUniqueViolation, retryOnUniqueViolation, StatementTimeout } from '../../src/db/errors';

const sqliteError = (message: string, code = 'SQLITE_CONSTRAINT') =>
  Object.assign(new Error(`insert into "x" - ${code}: ${message}`), { code, errno: 19 });
const pgError = (fields: Record<string, string>) => Object.assign(new Error('pg'), fields);

describe('database error translation', () => {
  it('reads sqlite3 constraint messages', () => {
    expect(constraintViolation(sqliteError('UNIQUE constraint failed: vendors.slug'))).toEqual({
      kind: 'unique',
      table: 'vendors',
      columns: ['slug'],
    });
    expect(constraintViolation(sqliteError('UNIQUE constraint failed: citations.event_id, citations.source_id'))).toEqual({
      kind: 'unique',
      table: 'citations',
      columns: ['event_id', 'source_id'],
    });
    expect(constraintViolation(sqliteError('NOT NULL constraint failed: users.email'))).toEqual({
      kind: 'not_null',
      table: 'users',
      columns: ['email'],
    });
    expect(constraintViolation(sqliteError('FOREIGN KEY constraint failed'))).toEqual({ kind: 'foreign_key', table: null, columns: [] });
  });

  it('reads PostgreSQL SQLSTATEs and details', () => {
    expect(constraintViolation(pgError({ code: '23505', table: 'vendors', detail: 'Key (slug)=(acme) already exists.' }))).toEqual({
      kind: 'unique',
      table: 'vendors',
      columns: ['slug'],
    });
    expect(constraintViolation(pgError({ code: '23502', table: 'users', column: 'email' }))).toEqual({
      kind: 'not_null',
      table: 'users',
      columns: ['email'],
    });
    expect(
      constraintViolation(pgError({ code: '23503', table: 'citations', detail: 'Key (source_id)=(9) is not present in table "sources".' })),
    ).toEqual({ kind: 'foreign_key', table: 'citations', columns: ['source_id'] });
  });

  it('answers null for anything else, and matches table and column', () => {
    expect(constraintViolation(new Error('boom'))).toBeNull();
    expect(constraintViolation(pgError({ code: '42P01' }))).toBeNull();
    expect(isUniqueViolation(sqliteError('UNIQUE constraint failed: vendors.slug'), 'vendors', 'slug')).toBe(true);
    expect(isUniqueViolation(sqliteError('UNIQUE constraint failed: vendors.slug'), 'actors', 'slug')).toBe(false);
    expect(
      isUniqueViolation(pgError({ code: '23505', table: 'sources', detail: 'Key (url)=(https://x) already exists.' }), 'sources', 'slug'),
    ).toBe(false);
  });

  it('retries only on the named keys', async () => {
    let calls = 0;
    await expect(
      retryOnUniqueViolation([['events', 'public_id']], async () => {
        calls++;
        if (calls < 3) throw sqliteError('UNIQUE constraint failed: events.public_id');
        return 'saved';
      }),
    ).resolves.toBe('saved');
    expect(calls).toBe(3);
    await expect(
      retryOnUniqueViolation([['events', 'public_id']], async () => Promise.reject(sqliteError('UNIQUE constraint failed: vendors.slug'))),
    ).rejects.toThrow('vendors.slug');
  });

  it('tells busy from timeout', () => {
    expect(databaseFault(Object.assign(new Error('locked'), { code: 'SQLITE_BUSY' }))).toBe('busy');
    expect(databaseFault(new StatementTimeout(100, 'select 1'))).toBe('timeout');
    expect(databaseFault(pgError({ code: '57014' }))).toBe('timeout');
    expect(databaseFault(pgError({ code: '40P01' }))).toBe('busy');
    expect(databaseFault(new Error('other'))).toBeNull();
  });
});
