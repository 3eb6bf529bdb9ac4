import { describe, expect, it } from 'vitest';
import { BatchLoader, perContext } from '../../../api/src/infra/graphql/batch-loader.js';

describe('BatchLoader', () => {
  it('loads the keys asked for in one turn with one call, and each key once', async () => {
    const calls: string[][] = [];
    const loader = new BatchLoader<string, number>(async (keys) => {
      calls.push([...keys]);
      return new Map(keys.filter((k) => k !== 'none').map((k) => [k, k.length]));
    }, -1);
    const first = await Promise.all(['a', 'bb', 'a', 'none', 'cccc'].map((k) => loader.load(k)));
    expect(first).toEqual([1, 2, 1, -1, 4]);
    expect(calls).toEqual([['a', 'bb', 'none', 'cccc']]);
    expect(await loader.load('bb')).toBe(2);
    expect(await loader.load('ddd')).toBe(3);
    expect(calls).toEqual([['a', 'bb', 'none', 'cccc'], ['ddd']]);
  });

  it('rejects every key of a failed batch, and tries them again when asked again', async () => {
    let fail = true;
    const loader = new BatchLoader<string, string>(async (keys) => {
      if (fail) throw new Error('database down');
      return new Map(keys.map((k) => [k, k.toUpperCase()]));
    }, '');
    const results = await Promise.allSettled([loader.load('x'), loader.load('y')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await loader.load('x')).toBe('X');
  });

  it('gives each context its own loader', () => {
    const loaderOf = perContext((ctx: { id: number }) => ({ for: ctx.id }));
    const a = { id: 1 };
    expect(loaderOf(a)).toBe(loaderOf(a));
    expect(loaderOf({ id: 2 })).not.toBe(loaderOf(a));
  });
});
