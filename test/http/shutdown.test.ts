import net from 'node:net';
import { type RunningServer, startServer } from '../../src/server';
import { createTestDb, describeEachDatabase, type TestDb, testConfig } from '../helpers/testDb';

jest.setTimeout(120000);

// 60 MB: more than loopback socket buffers hold (up to 32 MB + 4 MB here) while the client is not reading.
const EVENT_COUNT = 3_000;
const SUMMARY = 'A long summary so each row is large. '.repeat(540);

async function addManyEvents(testDb: TestDb): Promise<void> {
  const now = new Date().toISOString();
  const rows = Array.from({ length: EVENT_COUNT }, (_, i) => ({
    public_id: `2020-01-01-bulk-${i}`,
    title: `Bulk event ${i}`,
    summary: SUMMARY,
    type: 'other',
    jurisdiction: 'US',
    occurred_on: '2020-01-01',
    occurred_start: '2020-01-01',
    created_at: now,
    updated_at: now,
  }));
  await testDb.db.batchInsert('events', rows, 500);
}

/** A raw HTTP/1.1 connection: the test decides when to send and when to read. */
class RawClient {
  readonly socket: net.Socket;
  private chunks: Buffer[] = [];
  private waiters: Array<() => void> = [];
  closed = false;
  readonly closedPromise: Promise<void>;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.on('data', (chunk) => {
      this.chunks.push(chunk);
      this.wake();
    });
    this.closedPromise = new Promise((resolve) =>
      this.socket.on('close', () => {
        this.closed = true;
        this.wake();
        resolve();
      }),
    );
    this.socket.on('error', () => undefined);
  }

  get text(): string {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]?.toString('latin1') ?? '';
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** Resolves once the received bytes contain `marker` (or the connection closed). */
  async waitFor(marker: string): Promise<void> {
    while (!this.text.includes(marker) && !this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

/** The body of a chunked response, and whether it ended with the last-chunk marker. */
function dechunk(raw: string): { body: string; complete: boolean } {
  let rest = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  let body = '';
  for (;;) {
    const eol = rest.indexOf('\r\n');
    if (eol < 0) return { body, complete: false };
    const size = parseInt(rest.slice(0, eol), 16);
    if (Number.isNaN(size)) return { body, complete: false };
    if (size === 0) return { body, complete: rest.slice(eol, eol + 4) === '\r\n\r\n' };
    if (rest.length < eol + 2 + size + 2) return { body, complete: false };
    body += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

async function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(true));
  });
}

describeEachDatabase('graceful stop on %s', (kind) => {
  let testDb: TestDb;
  let running: RunningServer | undefined;

  beforeAll(async () => {
    testDb = await createTestDb(kind);
    await addManyEvents(testDb);
  });

  afterAll(async () => {
    await running?.stop();
    await testDb?.cleanup();
  });

  it('finishes a long export, closes idle and finished keep-alive connections, says Connection: close, and reports a clean drain', async () => {
    running = await startServer(testConfig(testDb.database, { port: 0, shutdownDrainSeconds: 60 }));
    const port = Number(new URL(running.url).port);
    const order: string[] = [];

    // A: a large export, read a little and then not at all, like a slow download.
    const exportClient = new RawClient(port);
    exportClient.send('GET /events.csv HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await exportClient.waitFor('id,occurred_on');
    exportClient.socket.pause();

    // B: an idle keep-alive connection after one answered request.
    const idle = new RawClient(port);
    idle.send('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await idle.waitFor('"status":"ok"');

    // C: a request under way (its body still coming) when the stop begins.
    const body = 'email=a%40example.org&password=x';
    const posting = new RawClient(port);
    posting.send(
      `POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await posting.waitFor('100 Continue');

    const stopped = running.stop().then((drained) => {
      order.push('stopped');
      return drained;
    });

    await idle.closedPromise;
    expect(await refusesConnections(port)).toBe(true);

    posting.send(body);
    await posting.closedPromise;
    const answer = posting.text.slice(posting.text.indexOf('\r\n\r\n') + 4);
    expect(answer).toMatch(/^HTTP\/1\.1 \d{3} /);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);

    exportClient.socket.resume();
    await exportClient.closedPromise;
    order.push('export done');
    const { body: csv, complete } = dechunk(exportClient.text);
    expect(exportClient.text).toMatch(/^HTTP\/1\.1 200 /);
    expect(complete).toBe(true);
    // Header row plus every event, nothing cut.
    expect(csv.trimEnd().split('\r\n').length).toBe(EVENT_COUNT + 1);

    expect(await stopped).toBe(true);
    expect(order).toEqual(['export done', 'stopped']);
    running = undefined;
  });

  it('gives up after the drain timeout, cutting what is left, and says so', async () => {
    const server = await startServer(testConfig(testDb.database, { port: 0, shutdownDrainSeconds: 1 }));
    const port = Number(new URL(server.url).port);
    const stuck = new RawClient(port);
    stuck.send('GET /events.csv HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await stuck.waitFor('id,occurred_on');
    stuck.socket.pause();
    expect(await server.stop()).toBe(false);
    stuck.socket.resume();
    await stuck.closedPromise;
    expect(dechunk(stuck.text).complete).toBe(false);
  });
});
