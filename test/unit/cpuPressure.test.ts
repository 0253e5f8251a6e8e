import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuPacer, MAX_PAUSE_MS, readCpuStallMicros } from '../../src/lib/cpuPressure';

describe('readCpuStallMicros', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpt-psi-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads the total of the 'some' line", () => {
    const file = path.join(dir, 'cpu');
    fs.writeFileSync(file, 'some avg10=9.46 avg60=51.07 avg300=44.04 total=1557716582\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n');
    expect(readCpuStallMicros(file)).toBe(1557716582);
  });

  it('is null where the kernel gives no figures', () => {
    expect(readCpuStallMicros(path.join(dir, 'absent'))).toBeNull();
    const odd = path.join(dir, 'odd');
    fs.writeFileSync(odd, 'nothing here\n');
    expect(readCpuStallMicros(odd)).toBeNull();
  });
});

describe('cpuPacer', () => {
  /** A clock, a stall counter and a sleep that only record: the pacer's decisions without waiting. */
  function fake(initialStall: number | null = 0, stallWhilePaused = 0) {
    const state = { now: 0, stall: initialStall as number | null, slept: [] as number[] };
    const pace = cpuPacer({
      now: () => state.now,
      readStallMicros: () => state.stall,
      sleep: async (ms) => {
        state.slept.push(ms);
        state.now += ms;
        if (state.stall !== null) state.stall += ms * 1000 * stallWhilePaused;
      },
    });
    /** A batch that takes `ms`, with some task waiting for a CPU `share` of that time. */
    const batch = async (ms: number, share: number, mayPause = true) => {
      state.now += ms;
      if (state.stall !== null) state.stall += ms * 1000 * share;
      await pace(mayPause);
    };
    return { state, batch };
  }

  it('does not pause while the CPUs are not contended (an import alone stalls 3-15% of the time)', async () => {
    const { state, batch } = fake();
    await batch(200, 0.15);
    await batch(200, 0.4);
    expect(state.slept).toEqual([]);
  });

  it('pauses as long as the batch took while they are, at most MAX_PAUSE_MS', async () => {
    const { state, batch } = fake();
    await batch(200, 0.7);
    await batch(300, 0.1);
    await batch(5000, 0.9);
    expect(state.slept).toEqual([200, MAX_PAUSE_MS]);
  });

  it('does not count its own pause as a batch', async () => {
    // Other work keeps a CPU's queue full during the pause; only the next batch's share counts.
    const { state, batch } = fake(0, 1);
    await batch(200, 0.7);
    await batch(100, 0.1);
    expect(state.slept).toEqual([200]);
  });

  it('never pauses where the kernel gives no figures', async () => {
    const { state, batch } = fake(null);
    await batch(200, 1);
    await batch(200, 1);
    expect(state.slept).toEqual([]);
  });

  it('told it may not pause, it does not, and measures the next batch on its own', async () => {
    const { state, batch } = fake();
    await batch(200, 0.9, false);
    await batch(100, 0.1);
    expect(state.slept).toEqual([]);
    await batch(100, 0.9, false);
    await batch(50, 0.8);
    expect(state.slept).toEqual([50]);
  });
});
