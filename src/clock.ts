/**
 * Where the server reads the current time: validity (`valid_until`), supersession,
 * job leases and retries, revocations, compaction times, TTLs and extraction's
 * "today" all come from one clock, passed to the engine and the store, so that no
 * decision depends on the database's `now()` and a test can move time.
 *
 * @example
 * const aYearAhead: Clock = { now: () => new Date(Date.now() + 365 * 86_400_000) };
 */
export interface Clock {
  /** The current time; each call may answer a later one. */
  now(): Date;
}

/** The machine's clock: the default. */
export const systemClock: Clock = { now: () => new Date() };
