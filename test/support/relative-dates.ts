const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A date `days` away from `from` (default: now), for fixtures that a reader compares
 * with the current time: an absolute date in such a fixture expires with the calendar.
 */
export function daysFromNow(days: number, from: Date = new Date()): Date {
  return new Date(from.getTime() + days * DAY_MS);
}
