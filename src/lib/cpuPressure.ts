import fs from 'node:fs';

/** Linux's pressure stall information for the CPU: how long tasks have waited for one. */
const PSI_CPU = '/proc/pressure/cpu';

/**
 * Share of the time since the last batch during which some task waited for a CPU, above
 * which a bulk job is competing with other work. On 2 cores an import alone (its own process
 * and its database's) stalled 3-15% of the time and the site under load alone 11-38%; the two
 * together 67-72%.
 */
export const CONTENDED_SHARE = 0.5;
/** Longest pause between two batches. */
export const MAX_PAUSE_MS = 1000;

/** Microseconds some task has waited for a CPU since boot, or null where the kernel does not say. */
export function readCpuStallMicros(file = PSI_CPU): number | null {
  try {
    const some = /^some .*total=(\d+)/m.exec(fs.readFileSync(file, 'utf8'));
    return some ? Number(some[1]) : null;
  } catch {
    return null;
  }
}

export interface CpuPacerDeps {
  readStallMicros?: () => number | null;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Called after each batch; `mayPause` false only starts the next measurement (the caller knows
 * there is no other work to give way to).
 */
export type CpuPacer = (mayPause?: boolean) => Promise<void>;

/**
 * For a bulk job that works in batches: called after each batch, it pauses for as long as the
 * batch took when the CPUs were contended meanwhile, so the job takes about half of what it
 * would and other work (the site's pages, and the database they read) gets the rest. Lowering
 * the job's own priority is not enough when much of its work is done by another process (a
 * PostgreSQL backend runs at the database's priority). Where the kernel gives no pressure
 * figures, it never pauses.
 */
export function cpuPacer(deps: CpuPacerDeps = {}): CpuPacer {
  const read = deps.readStallMicros ?? (() => readCpuStallMicros());
  const now = deps.now ?? (() => performance.now());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let since = { stall: read(), at: now() };
  return async (mayPause = true) => {
    const stall = read();
    const at = now();
    const elapsedMs = at - since.at;
    if (mayPause && stall !== null && since.stall !== null && elapsedMs > 0 && (stall - since.stall) / 1000 / elapsedMs > CONTENDED_SHARE) {
      await sleep(Math.min(MAX_PAUSE_MS, elapsedMs));
      since = { stall: read(), at: now() };
      return;
    }
    since = { stall, at };
  };
}
