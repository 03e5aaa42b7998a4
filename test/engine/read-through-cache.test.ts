import { describe, expect, it } from 'vitest';
import { ReadThroughCache } from '../../src/engine/read-through-cache.js';

/** A read that answers when told to, counting how often it ran. */
function controlledRead<V>(value: V) {
  let calls = 0;
  let answer: () => void = () => {};
  const read = () => {
    calls++;
    return new Promise<V>((resolve) => {
      answer = () => resolve(value);
    });
  };
  return { read, answer: () => answer(), calls: () => calls };
}

describe('ReadThroughCache', () => {
  it('shares one read among concurrent misses and keeps its value', async () => {
    const cache = new ReadThroughCache<{ v: number }>({ max: 10 });
    const source = controlledRead({ v: 1 });
    const first = cache.get('a', source.read);
    const second = cache.get('a', source.read);
    source.answer();
    expect(await first).toEqual({ v: 1 });
    expect(await second).toBe(await first);
    expect(source.calls()).toBe(1);
    expect(cache.has('a')).toBe(true);
  });

  it('answers a read that raced an invalidation but does not keep it', async () => {
    const cache = new ReadThroughCache<{ v: number }>({ max: 10 });
    const stale = controlledRead({ v: 1 });
    const racing = cache.get('a', stale.read);
    cache.invalidate(['a']);
    stale.answer();
    expect(await racing).toEqual({ v: 1 });
    expect(cache.has('a')).toBe(false);
    expect(await cache.get('a', async () => ({ v: 2 }))).toEqual({ v: 2 });
  });

  it('drops by prefix, and stays within its size bound', async () => {
    const cache = new ReadThroughCache<{ bytes: number }>({ maxSize: 100, size: (v) => v.bytes });
    await cache.get('x\u0000a', async () => ({ bytes: 40 }));
    await cache.get('x\u0000b', async () => ({ bytes: 40 }));
    await cache.get('y\u0000a', async () => ({ bytes: 40 }));
    expect(cache.calculatedSize).toBeLessThanOrEqual(100);
    cache.invalidatePrefix('y\u0000');
    expect(cache.has('y\u0000a')).toBe(false);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
