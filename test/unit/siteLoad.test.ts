import { EventEmitter } from 'node:events';
import type { NextFunction, Request, Response } from 'express';
import { createSiteLoad as createRealSiteLoad, type SiteLoad } from '../../src/http/siteLoad';

/** A SiteLoad whose downloads never pause for CPU pressure: these tests are about the site's own requests. */
const createSiteLoad = () => createRealSiteLoad({ pacer: () => async () => undefined });

/** A response stand-in: SiteLoad only listens for 'finish' and 'close'. */
function response(): Response & EventEmitter {
  return new EventEmitter() as Response & EventEmitter;
}

function arrive(load: SiteLoad): Response & EventEmitter {
  const res = response();
  const next: NextFunction = jest.fn();
  load.track({} as Request, res, next);
  expect(next).toHaveBeenCalledTimes(1);
  return res;
}

/** Whether `promise` has settled after the timers and callbacks queued so far have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('SiteLoad: bulk downloads give way to pages', () => {
  it('counts a request until its response finishes or closes, once either way', () => {
    const load = createSiteLoad();
    const a = arrive(load);
    const b = arrive(load);
    expect(load.answering).toBe(2);
    a.emit('finish');
    a.emit('close');
    expect(load.answering).toBe(1);
    b.emit('close');
    expect(load.answering).toBe(0);
  });

  it('leaves the bulk request itself out, and it does not wait on a quiet site', async () => {
    const load = createSiteLoad();
    const bulk = arrive(load);
    const giveWay = load.giveWay(bulk, 60_000);
    expect(load.answering).toBe(0);
    expect(await settled(giveWay())).toBe(true);
    bulk.emit('finish');
    expect(load.answering).toBe(0);
  });

  it('waits while another request is being answered, and goes on as soon as it is', async () => {
    const load = createSiteLoad();
    const giveWay = load.giveWay(arrive(load), 60_000);
    const page = arrive(load);
    const waiting = giveWay();
    expect(await settled(waiting)).toBe(false);
    page.emit('finish');
    expect(await settled(waiting)).toBe(true);
  });

  it('goes on after its longest wait when the site never goes quiet', async () => {
    const load = createSiteLoad();
    const giveWay = load.giveWay(arrive(load), 20);
    arrive(load);
    const started = Date.now();
    await giveWay();
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(load.answering).toBe(1);
  });

  it("after waiting for the site, lets the download's own pacer pause it: one pacer per download", async () => {
    const paced: string[] = [];
    let release = () => {};
    const load = createRealSiteLoad({
      pacer: () => {
        const id = `pacer ${paced.length}`;
        paced.push(id);
        return (mayPause = true) => {
          paced.push(`${id} called${mayPause ? '' : ', may not pause'}`);
          return new Promise<void>((resolve) => (release = resolve));
        };
      },
    });
    const first = load.giveWay(arrive(load), 60_000);
    load.giveWay(arrive(load), 60_000);
    expect(paced).toEqual(['pacer 0', 'pacer 1']);
    const page = arrive(load);
    const waiting = first();
    expect(await settled(waiting)).toBe(false);
    // Still waiting for the page: the pacer is not asked yet.
    expect(paced).toEqual(['pacer 0', 'pacer 1']);
    page.emit('finish');
    expect(await settled(waiting)).toBe(false);
    expect(paced).toEqual(['pacer 0', 'pacer 1', 'pacer 0 called']);
    release();
    expect(await settled(waiting)).toBe(true);
  });

  it('lets the pacer pause only when other requests came since the last piece', async () => {
    const calls: boolean[] = [];
    const load = createRealSiteLoad({
      pacer:
        () =>
        async (mayPause = true) =>
          void calls.push(mayPause),
    });
    const giveWay = load.giveWay(arrive(load), 20);
    // A quiet site: the download's own work is all there is.
    await giveWay();
    expect(calls).toEqual([false]);
    // A page came and went between two pieces.
    arrive(load).emit('finish');
    await giveWay();
    expect(calls).toEqual([false, true]);
    // A page still being answered when the wait ends.
    arrive(load);
    await giveWay();
    expect(calls).toEqual([false, true, true]);
    await giveWay();
    expect(calls).toEqual([false, true, true, true]);
  });
});
