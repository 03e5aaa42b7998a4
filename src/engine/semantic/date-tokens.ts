/**
 * Dates and clock times as tool arguments and memories write them: "2026-12-13",
 * "2026-12-13T14:00:00Z", "07:10", "13:00". As words they are bare numbers, and a
 * booking on the 13th would match every memory that mentions 13:00. What a date means
 * for relevance is decided elsewhere (validity, temporal events), not by its digits.
 */
const DATE_OR_TIME =
  /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b|\b\d{1,2}:\d{2}(?::\d{2})?\b/g;

/** The text with its ISO dates and clock times blanked out. */
export function withoutDates(text: string): string {
  return text.replace(DATE_OR_TIME, ' ');
}
