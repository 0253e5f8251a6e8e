import type { NextFunction, Request, Response } from 'express';
import { yieldToEventLoop } from '../db/bulk';
import { type CpuPacer, cpuPacer } from '../lib/cpuPressure';

/**
 * How long a bulk download waits, between two of its pieces, for the other requests to be
 * answered. Long enough that pages go first while the site is busy (on two cores a whole
 * export otherwise took most of the CPU and the timeline answered about a third as many
 * requests); short enough that the download still moves when the site never goes quiet.
 */
export const BULK_WAIT_MS = 50;

/**
 * Counts the requests the app is answering, so that bulk work (a whole-database CSV) can give
 * way to pages: it runs at full speed on a quiet site and between other requests on a busy one.
 */
export interface SiteLoad {
  /** Middleware: counts each request from its arrival until its response finishes or closes. */
  track(req: Request, res: Response, next: NextFunction): void;
  /**
   * For the bulk work behind `res`: that request stops counting, and the function returned,
   * called between two pieces of the work, gives the event loop a turn, waits until no other
   * request is being answered (or `maxMs` at most), and then, if other requests came since the
   * last piece, lets the pacer pause it while the CPUs are contended.
   */
  giveWay(res: Response, maxMs?: number): () => Promise<void>;
  /** Requests being answered now, bulk work left out. */
  readonly answering: number;
}

const DONE = Symbol('siteLoadDone');
type Tracked = Response & { [DONE]?: () => void };

export interface SiteLoadOptions {
  /**
   * Makes one download's pacer, called after each of its waits, allowed to pause only when
   * other requests came meanwhile: by default it pauses while the CPUs are contended (see
   * cpuPacer). Waiting for the site's own requests is not enough where the download's database
   * work runs in another process: PostgreSQL's backend went on reading the export's next pages
   * beside the pages' own queries, and on two cores the timeline answered half as many
   * requests while a 1M-event export ran. On a quiet site the download's own processes are all
   * that contend, and it goes on at full speed.
   */
  pacer?: () => CpuPacer;
}

export function createSiteLoad(options: SiteLoadOptions = {}): SiteLoad {
  const makePacer = options.pacer ?? (() => cpuPacer());
  let answering = 0;
  /** Requests that have arrived since the start, for "did any come meanwhile". */
  let arrived = 0;
  let waiters = new Set<() => void>();

  const quiet = (maxMs: number): Promise<void> => {
    if (answering === 0 || maxMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiters.delete(wake);
        resolve();
      }, maxMs);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      waiters.add(wake);
    });
  };

  return {
    track(_req, res, next) {
      answering++;
      arrived++;
      let open = true;
      const done = () => {
        if (!open) return;
        open = false;
        answering--;
        if (answering > 0 || waiters.size === 0) return;
        const woken = waiters;
        waiters = new Set();
        for (const wake of woken) wake();
      };
      (res as Tracked)[DONE] = done;
      res.once('finish', done);
      res.once('close', done);
      next();
    },
    giveWay(res, maxMs = BULK_WAIT_MS) {
      (res as Tracked)[DONE]?.();
      const pace = makePacer();
      let seen = arrived;
      return async () => {
        await yieldToEventLoop();
        await quiet(maxMs);
        const othersCame = arrived !== seen || answering > 0;
        seen = arrived;
        await pace(othersCame);
      };
    },
    get answering() {
      return answering;
    },
  };
}
