const DAY_MS = 86_400_000;
const PLACEHOLDER = /\{\{(date|iso):([+-]?\d+)\}\}/g;

/**
 * Resolves the date placeholders of a scenario text against the probe's day:
 * `{{date:N}}` is a written date N days away ("March 5, 2027"), `{{iso:N}}` the same day
 * as `2027-03-05`. Scenario files hold no absolute date, so they never expire.
 */
export function resolveDates(text: string, probeDay: Date): string {
  return text.replace(PLACEHOLDER, (_, form: string, offset: string) => {
    const day = new Date(probeDay.getTime() + Number(offset) * DAY_MS);
    return form === 'iso'
      ? day.toISOString().slice(0, 10)
      : day.toLocaleDateString('en-US', {
          month: 'long',
          day: 'numeric',
          year: 'numeric',
          timeZone: 'UTC',
        });
  });
}

/** Every string of a JSON value resolved with `resolveDates`. */
export function resolveDatesDeep<T>(value: T, probeDay: Date): T {
  if (typeof value === 'string') return resolveDates(value, probeDay) as T;
  if (Array.isArray(value)) return value.map((entry) => resolveDatesDeep(entry, probeDay)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key, resolveDatesDeep(entry, probeDay)]),
    ) as T;
  }
  return value;
}
