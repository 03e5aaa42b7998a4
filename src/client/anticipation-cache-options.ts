import { InvalidInputError } from './errors.js';

/** Bounds and clock of an {@link AnticipationCache}; every field is optional. */
export interface AnticipationCacheOptions {
  /** Conversations kept, least recently used out first (and as many users'). Default 1000. */
  maxConversations?: number;
  /** Cap on the estimated bytes of stored bundles ({@link estimateBundleBytes}). Default 16 MiB. */
  maxBytes?: number;
  /** Lifetime of a bundle whose `ttlHintSeconds` is 0. Default 300_000 ms. */
  defaultTtlMs?: number;
  /** Floor on the service's TTL hints, so a tiny hint cannot defeat the cache. Default 5_000 ms. */
  minTtlMs?: number;
  /** The clock, in ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * Checks and completes the options once, at construction. Throws `InvalidInputError`
 * naming the field when a bound is below 1 or not a finite number.
 */
export function resolveCacheOptions(
  options: AnticipationCacheOptions,
): Required<AnticipationCacheOptions> {
  return {
    // lru-cache takes a whole number.
    maxConversations: Math.floor(atLeastOne('maxConversations', options.maxConversations ?? 1000)),
    maxBytes: atLeastOne('maxBytes', options.maxBytes ?? 16 * 1024 * 1024),
    defaultTtlMs: atLeastOne('defaultTtlMs', options.defaultTtlMs ?? 300_000),
    minTtlMs: atLeastOne('minTtlMs', options.minTtlMs ?? 5_000),
    now: options.now ?? Date.now,
  };
}

function atLeastOne(field: string, value: number): number {
  if (Number.isFinite(value) && value >= 1) return value;
  throw new InvalidInputError({ message: `${field}: must be a number of at least 1`, field });
}
