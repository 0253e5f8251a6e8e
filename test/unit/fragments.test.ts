import express from 'express';
import { FragmentCache } from '../../src/http/fragments';

const part = (text: string) => ({ bytes: Buffer.from(text) });

describe('parts kept while the data is unchanged', () => {
  test('a part asked for again at one data version is kept; when the version moves it is computed again', async () => {
    let version = '1';
    const cache = new FragmentCache(async () => version);
    const compute = jest.fn(async () => part(`at ${version}`));

    // Asked for once: computed, not kept. Twice: kept. Then served from memory.
    expect((await cache.get('a', compute)).bytes.toString()).toBe('at 1');
    expect(cache.size.entries).toBe(0);
    expect((await cache.get('a', compute)).bytes.toString()).toBe('at 1');
    expect((await cache.get('a', compute)).bytes.toString()).toBe('at 1');
    expect((await cache.get('a', compute)).bytes.toString()).toBe('at 1');
    expect(compute).toHaveBeenCalledTimes(2);
    expect(cache.size).toEqual({ entries: 1, bytes: 4 });

    version = '2';
    expect((await cache.get('a', compute)).bytes.toString()).toBe('at 2');
    expect((await cache.get('a', compute)).bytes.toString()).toBe('at 2');
    expect((await cache.get('a', compute)).bytes.toString()).toBe('at 2');
    expect(compute).toHaveBeenCalledTimes(4);
    // Another key is its own part.
    await cache.get('b', compute);
    expect((await cache.get('b', compute)).bytes.toString()).toBe('at 2');
    expect(compute).toHaveBeenCalledTimes(6);
    expect(cache.size).toEqual({ entries: 2, bytes: 8 });
  });

  test('for an app that reads its templates again on every render, nothing is kept', async () => {
    const cache = new FragmentCache(async () => '1');
    const compute = jest.fn(async () => part('x'));
    const reloading = express().set('view cache', false);
    for (let i = 0; i < 3; i++) await cache.forApp(reloading, 'a', compute);
    expect(compute).toHaveBeenCalledTimes(3);
    expect(cache.size.entries).toBe(0);
    const keeping = express().set('view cache', true);
    for (let i = 0; i < 3; i++) await cache.forApp(keeping, 'a', compute);
    expect(compute).toHaveBeenCalledTimes(5);
    expect(cache.size.entries).toBe(1);
  });

  test('readers asking while a kept part is computed share that one computation', async () => {
    const cache = new FragmentCache(async () => '7');
    await cache.get('a', async () => part('first'));
    let finish: (value: { bytes: Buffer }) => void = () => undefined;
    const compute = jest.fn(() => new Promise<{ bytes: Buffer }>((resolve) => (finish = resolve)));
    const first = cache.get('a', compute);
    const second = cache.get('a', compute);
    await new Promise((r) => setImmediate(r));
    finish(part('shared'));
    expect((await first).bytes.toString()).toBe('shared');
    expect((await second).bytes.toString()).toBe('shared');
    expect(compute).toHaveBeenCalledTimes(1);
  });

  test('an error is never kept: the next reader computes again', async () => {
    const cache = new FragmentCache(async () => '1');
    await expect(cache.get('a', async () => Promise.reject(new Error('no such vendor')))).rejects.toThrow('no such vendor');
    await expect(cache.get('a', async () => Promise.reject(new Error('no such vendor')))).rejects.toThrow('no such vendor');
    expect(cache.size.entries).toBe(0);
    expect((await cache.get('a', async () => part('found'))).bytes.toString()).toBe('found');
  });

  test('without a readable version nothing is kept', async () => {
    const cache = new FragmentCache(async () => null);
    const compute = jest.fn(async () => part('x'));
    for (let i = 0; i < 3; i++) await cache.get('a', compute);
    expect(compute).toHaveBeenCalledTimes(3);
    expect(cache.size.entries).toBe(0);
  });

  test('past its bytes the least recently used parts go first; parts too large are not kept', async () => {
    const cache = new FragmentCache(async () => '1', { maxBytes: 10, maxEntryBytes: 6 });
    const keep = async (key: string, text: string) => {
      await cache.get(key, async () => part(text));
      return cache.get(key, async () => part(text));
    };
    await keep('a', 'aaaa');
    await keep('b', 'bbbb');
    await cache.get('a', async () => part('never'));
    await keep('c', 'cccc');
    expect(cache.size).toEqual({ entries: 2, bytes: 8 });
    const compute = jest.fn(async () => part('again'));
    expect((await cache.get('a', compute)).bytes.toString()).toBe('aaaa');
    expect((await cache.get('b', compute)).bytes.toString()).toBe('again');
    await keep('big', 'much too large');
    const big = jest.fn(async () => part('much too large'));
    await cache.get('big', big);
    expect(big).toHaveBeenCalledTimes(1);
    expect(cache.size.bytes).toBeLessThanOrEqual(10);
  });

  test('the keys asked for once are remembered up to a bound', async () => {
    const cache = new FragmentCache(async () => '1', { maxSeen: 2 });
    const compute = jest.fn(async () => part('x'));
    await cache.get('a', compute);
    await cache.get('b', compute);
    await cache.get('c', compute); // 'a' is forgotten
    await cache.get('a', compute); // first time again: not kept
    expect(cache.size.entries).toBe(0);
    await cache.get('a', compute);
    expect(cache.size.entries).toBe(1);
  });
});
