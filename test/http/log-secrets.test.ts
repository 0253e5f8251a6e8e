import { createApp } from '../../src/app';
import { createSetupToken } from '../../src/accounts/setupTokens';
import { isPostgres } from '../../src/db/knex';
import { createLogger } from '../../src/lib/logger';
import { Browser } from '../helpers/session';
import { createTestDb, describeEachDatabase, type TestDb, testConfig } from '../helpers/testDb';

jest.setTimeout(30000);

const FIRST = { email: 'first.admin@example.org', display_name: 'First Admin', password: 'first-admin-password-1' };

/** Makes every insert into users fail, the way a full disk or a constraint would. */
async function refuseUserInserts(testDb: TestDb): Promise<void> {
  if (isPostgres(testDb.db)) {
    await testDb.db.raw(
      `create function refuse_users() returns trigger as $$ begin raise exception 'refused by the test trigger'; end $$ language plpgsql`,
    );
    await testDb.db.raw('create trigger refuse_users before insert on users for each row execute function refuse_users()');
  } else {
    await testDb.db.raw(`create trigger refuse_users before insert on users begin select raise(abort, 'refused by the test trigger'); end`);
  }
}

describeEachDatabase('secrets in logs on %s', (kind) => {
  let testDb: TestDb;
  const lines: string[] = [];

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    await refuseUserInserts(testDb);
  });

  afterAll(async () => {
    await testDb?.cleanup();
  });

  it('a failed account insert is logged without the password hash, token, session id or CSRF secret', async () => {
    const config = testConfig(testDb.database, { logLevel: 'info' });
    const capture = { write: (line: string) => void lines.push(line) };
    const app = createApp({ db: testDb.db, config, logger: createLogger(config, capture) });
    const token = await createSetupToken(testDb.db);

    const browser = new Browser(app);
    const csrf = await browser.fetchToken(`/setup?token=${encodeURIComponent(token)}`);
    const res = await browser.post('/setup', { token, ...FIRST });
    expect(res.status).toBe(500);

    const log = lines.join('');
    const failure = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unhandled error');
    // The failure itself is logged, with the database's reason...
    expect(failure?.err?.message).toContain('refused by the test trigger');
    // ...but nothing that would let a reader sign in or take over a session.
    const sessionId = /vpt\.sid=s%3A([^.;]+)/.exec(browser.cookie ?? '')?.[1];
    expect(sessionId).toBeTruthy();
    const leaks = {
      passwordHash: /scrypt\$\d/.test(log),
      password: log.includes(FIRST.password),
      setupToken: log.includes(token),
      sessionId: log.includes(sessionId!),
      csrfToken: log.includes(csrf),
    };
    expect(leaks).toEqual({ passwordHash: false, password: false, setupToken: false, sessionId: false, csrfToken: false });
    // The request line keeps its path, with the token cut out.
    expect(log).toContain('/setup?token=[redacted]');
  });
});
