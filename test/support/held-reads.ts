import type { Store } from '../../src/store/store.js';

/**
 * The store as it is, with the reads named in `held` held back until `release()`: a read
 * that has run but not yet answered, so a test can land a write in between. Writes and
 * subscriptions go straight through. The real store answers every call.
 */
export function holdReads<K extends keyof Store>(
  store: Store,
  held: readonly K[],
): { store: Store; release: () => void } {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const holding = new Set<PropertyKey>(held);
  const proxy = new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (!holding.has(property)) return value.bind(target);
      return async (...args: unknown[]) => {
        const answer = await value.apply(target, args);
        await gate;
        return answer;
      };
    },
  });
  return { store: proxy, release };
}
