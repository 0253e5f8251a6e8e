import { Writable } from 'node:stream';
import { ConfigError, loadConfig } from '../../src/lib/config';
import { isDatabaseUnavailable, startupDatabaseProblem } from '../../src/db/health';
import { createLogger, scrubText } from '../../src/lib/logger';
import { startServer } from '../../src/server';
import { hashPassword, HashingBusy, Semaphore, verifyPassword } from '../../src/accounts/password';
import { describeEachDatabase, testConfig } from '../helpers/testDb';

jest.setTimeout(30000);

/** A task the test finishes by hand, so the semaphore's order can be checked without timing. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('the hashing semaphore', () => {
  it('runs two at once, queues one, refuses the rest with 503, and hands slots on in order', async () => {
    const semaphore = new Semaphore(2, 1);
    const started: number[] = [];
    const gates = [gate(), gate(), gate()];
    const runs = gates.map((g, i) =>
      semaphore.run(async () => {
        started.push(i);
        await g.opened;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(semaphore.inUse).toEqual({ running: 2, waiting: 1 });

    const refused = semaphore.run(async () => 99);
    await expect(refused).rejects.toBeInstanceOf(HashingBusy);
    await expect(refused).rejects.toMatchObject({ status: 503, details: { headers: { 'Retry-After': expect.stringMatching(/^\d+$/) } } });

    gates[1].open();
    expect(await runs[1]).toBe(1);
    expect(started).toEqual([0, 1, 2]);
    expect(semaphore.inUse).toEqual({ running: 2, waiting: 0 });
    gates[0].open();
    gates[2].open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(semaphore.inUse).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot when a task fails', async () => {
    const semaphore = new Semaphore(1, 0);
    await expect(semaphore.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await semaphore.run(async () => 'next')).toBe('next');
  });
});

describe('password hashes carry their own cost', () => {
  it('verifies hashes made at any cost, and refuses a stored cost no hash of ours uses', async () => {
    const cheap = await hashPassword('correct horse battery', 16);
    const dearer = await hashPassword('correct horse battery', 1024);
    expect(cheap).toMatch(/^scrypt\$16\$8\$1\$/);
    expect(dearer).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', cheap)).toBe(true);
    expect(await verifyPassword('correct horse battery', dearer)).toBe(true);
    expect(await verifyPassword('wrong horse battery', dearer)).toBe(false);
    const absurd = dearer.replace('scrypt$1024$', `scrypt$${2 ** 30}$`);
    expect(await verifyPassword('correct horse battery', absurd)).toBe(false);
  });
});

describe('settings for faults', () => {
  it('defaults: JSON logs, a 120 s drain, scrypt N = 2^17, two hashes at once', () => {
    const config = loadConfig({});
    expect(config.logFormat).toBe('json');
    expect(config.shutdownDrainSeconds).toBe(120);
    expect(config.passwordHashing).toEqual({ scryptN: 2 ** 17, concurrency: 2, queue: 8 });
  });

  it('reads LOG_FORMAT, SHUTDOWN_DRAIN_SECONDS, SCRYPT_N, HASH_CONCURRENCY and HASH_QUEUE, naming a bad one', () => {
    const config = loadConfig({
      LOG_FORMAT: 'pretty',
      SHUTDOWN_DRAIN_SECONDS: '300',
      SCRYPT_N: '65536',
      HASH_CONCURRENCY: '3',
      HASH_QUEUE: '0',
    });
    expect(config).toMatchObject({
      logFormat: 'pretty',
      shutdownDrainSeconds: 300,
      passwordHashing: { scryptN: 65536, concurrency: 3, queue: 0 },
    });
    expect(() => loadConfig({ SCRYPT_N: '100000' })).toThrow(/SCRYPT_N must be a power of two/);
    expect(() => loadConfig({ SCRYPT_N: '1024' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be json or pretty/);
  });
});

describe('log format', () => {
  const write = (lines: string[]) => ({ write: (line: string) => void lines.push(line) });

  it('writes JSON lines by default', () => {
    const lines: string[] = [];
    createLogger({ logLevel: 'info' }, write(lines)).info({ vendor: 'kaspersky-lab' }, 'vendor saved');
    expect(JSON.parse(lines[0])).toMatchObject({ level: 30, msg: 'vendor saved', vendor: 'kaspersky-lab' });
  });

  it('writes readable lines with LOG_FORMAT=pretty, secrets still redacted', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ logLevel: 'info', logFormat: 'pretty' }, sink);
    logger.info({ vendor: 'kaspersky-lab', password: 'hunter2-hunter2' }, 'vendor saved');
    await new Promise((resolve) => setImmediate(resolve));
    const text = lines.join('');
    expect(text).toMatch(/INFO.*vendor saved/);
    expect(text).toContain('kaspersky-lab');
    expect(text).not.toContain('hunter2');
    expect(() => JSON.parse(text)).toThrow();
  });

  it('scrubs hashes, SQL literals and long tokens from error text, and keeps file paths', () => {
    const text =
      "insert into users (email, password_hash) values ('a@b.org', 'scrypt$16$8$1$c2FsdA==$aGFzaA==') - SQLITE_CONSTRAINT\n    at insertUser (/work/main/src/users/repo.ts:70:5)";
    const scrubbed = scrubText(text);
    expect(scrubbed).not.toContain('scrypt$16');
    expect(scrubbed).not.toContain('a@b.org');
    expect(scrubbed).toContain('SQLITE_CONSTRAINT');
    expect(scrubbed).toContain('/work/main/src/users/repo.ts:70:5');
    expect(scrubText('session 2b7e151628aed2a6abf7158809cf4f3c762e7160 gone')).toBe('session [redacted] gone');
  });
});

describe('recognising a database that is away', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    [
      'a pool timeout',
      Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }),
    ],
    ['SQLite busy past busy_timeout', Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' })],
    ['SQLite cannot open', Object.assign(new Error('SQLITE_CANTOPEN: unable to open database file'), { code: 'SQLITE_CANTOPEN' })],
    ['PostgreSQL admin shutdown', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['PostgreSQL cannot connect now', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    [
      'happy-eyeballs connect',
      new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], ''),
    ],
  ])('%s is "unavailable"', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a constraint', Object.assign(new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed: vendors.slug'), { code: 'SQLITE_CONSTRAINT' })],
    ['a PostgreSQL unique violation', Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' })],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
  ])('%s is not', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describeEachDatabase('starting with a database that cannot be used, on %s', (kind) => {
  it('fails with one line naming DATABASE_URL and the reason, no stack', async () => {
    const database =
      kind === 'sqlite'
        ? ({ client: 'sqlite', filename: '/dev/null/impossible/tracker.sqlite' } as const)
        : ({ client: 'postgres', connectionString: withPort(process.env.TEST_DATABASE_URL!, 1) } as const);
    const config = testConfig(database);
    const err = await startServer(config, createLogger(config)).then(
      () => null,
      (e: unknown) => e,
    );
    const line = startupDatabaseProblem(err);
    expect(line).toMatch(/^DATABASE_URL: cannot use the database \(.+\)$/);
    expect(line).not.toContain('\n');
    expect(line).not.toMatch(/\bat \S+ \(/);
  });
});

function withPort(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}
