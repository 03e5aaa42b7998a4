/** A date found in text, resolved against when the message was recorded. */
export interface DateMention {
  /** The words that named the date ("next Friday", "2026-12-03"). */
  text: string;
  /** Midnight UTC of the day meant. */
  date: Date;
  /** True for an explicit calendar date, false for a relative day ("tomorrow"). */
  absolute: boolean;
}

const DAY_MS = 86_400_000;
const MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
] as const;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const MONTH_NAME =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const ISO = /\b(\d{4})-(\d{2})-(\d{2})\b/;
const MONTH_DAY = new RegExp(`\\b${MONTH_NAME} (\\d{1,2})(?:st|nd|rd|th)?(?:,? (\\d{4}))?\\b`, 'i');
const DAY_MONTH = new RegExp(
  `\\b(\\d{1,2})(?:st|nd|rd|th)? (?:of )?${MONTH_NAME}(?:,? (\\d{4}))?\\b`,
  'i',
);
const RELATIVE_DAY = /\b(today|tonight|tomorrow|the day after tomorrow|yesterday)\b/i;
const WEEKDAY = new RegExp(`\\b(next|this|on|last)? ?(${WEEKDAYS.join('|')})\\b`, 'i');
const IN_SPAN = /\bin (a|one|two|three|four|five|six|\d+) (days?|weeks?)\b/i;
const NEXT_SPAN = /\bnext (week|month)\b/i;
/** Counts written as words in spans of time ("in two weeks", "for the next ten days"). */
export const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};

/**
 * Finds the first date in a sentence and resolves it against `now` (the message's
 * recordedAt), in UTC: ISO dates, "December 3[, 2026]", "3 December", today/tomorrow/
 * yesterday, weekdays ("next Friday", "on Monday"), "in 3 days", "next week".
 * A calendar date without a year means its next occurrence from `now`.
 * "next Friday" and "on Friday" both mean the coming Friday (never today): English
 * speakers disagree on "next", and the coming one is the more common reading.
 */
export function findDate(sentence: string, now: Date): DateMention | null {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const iso = ISO.exec(sentence);
  if (iso) {
    const date = calendarDate(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]));
    if (date) return { text: iso[0], date, absolute: true };
  }
  const monthDay = MONTH_DAY.exec(sentence);
  const dayMonth = monthDay ? null : DAY_MONTH.exec(sentence);
  if (monthDay || dayMonth) {
    const [text, monthName, day, year] = monthDay
      ? [monthDay[0], monthDay[1], monthDay[2], monthDay[3]]
      : [dayMonth?.[0], dayMonth?.[2], dayMonth?.[1], dayMonth?.[3]];
    const month = MONTHS.indexOf((monthName ?? '').slice(0, 3).toLowerCase() as never);
    const date = resolveCalendar(month, Number(day), year ? Number(year) : null, today);
    if (date && text) return { text, date, absolute: true };
  }
  const relative = RELATIVE_DAY.exec(sentence);
  if (relative?.[1]) {
    const word = relative[1].toLowerCase();
    const offset =
      word === 'tomorrow' ? 1 : word === 'yesterday' ? -1 : word.startsWith('the day') ? 2 : 0;
    return { text: relative[0], date: new Date(today + offset * DAY_MS), absolute: false };
  }
  const weekday = WEEKDAY.exec(sentence);
  if (weekday?.[2]) {
    const target = WEEKDAYS.indexOf(weekday[2].toLowerCase());
    const current = new Date(today).getUTCDay();
    const modifier = weekday[1]?.toLowerCase();
    let offset: number;
    if (modifier === 'last') offset = -((current - target + 7) % 7 || 7);
    else if (modifier === 'this') offset = (target - current + 7) % 7;
    else offset = (target - current + 7) % 7 || 7;
    return { text: weekday[0].trim(), date: new Date(today + offset * DAY_MS), absolute: false };
  }
  const span = IN_SPAN.exec(sentence);
  if (span?.[1] && span[2]) {
    const count = NUMBER_WORDS[span[1].toLowerCase()] ?? Number(span[1]);
    const days = span[2].toLowerCase().startsWith('week') ? count * 7 : count;
    return { text: span[0], date: new Date(today + days * DAY_MS), absolute: false };
  }
  const next = NEXT_SPAN.exec(sentence);
  if (next?.[1]) {
    const date =
      next[1].toLowerCase() === 'week'
        ? new Date(today + 7 * DAY_MS)
        : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    return { text: next[0], date, absolute: false };
  }
  return null;
}

/** A real calendar day, or null for "February 30". */
function calendarDate(year: number, month: number, day: number): Date | null {
  const date = new Date(Date.UTC(year, month, day));
  return date.getUTCMonth() === month && date.getUTCDate() === day ? date : null;
}

function resolveCalendar(
  month: number,
  day: number,
  year: number | null,
  today: number,
): Date | null {
  if (month < 0) return null;
  if (year !== null) return calendarDate(year, month, day);
  const thisYear = new Date(today).getUTCFullYear();
  const date = calendarDate(thisYear, month, day);
  if (date && date.getTime() >= today) return date;
  return calendarDate(thisYear + 1, month, day);
}
