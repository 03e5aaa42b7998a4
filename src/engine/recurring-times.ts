import type { AnticipationEvent } from './anticipator.js';
import { argStrings, emptyArgNames } from './tool-args.js';

/**
 * When something recurs or an event happens, as two bit sets: days of the week (bit 0
 * Sunday … bit 6 Saturday) and parts of the day (MORNING … NIGHT). Zero means unknown.
 */
export interface WeekTimes {
  days: number;
  parts: number;
  /** The event leaves its time to be chosen (`"start_time": null`): any habit that day counts. */
  openTime?: boolean;
}

/** A habit: when it recurs, and whether it names the days (else it is every day or a range). */
export interface Recurrence extends Omit<WeekTimes, 'openTime'> {
  /** "every Friday", "on Thursdays", "weekends": it matters on those days alone. */
  namedDays: boolean;
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const BYDAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const ALL_DAYS = 0b1111111;
const WORKDAYS = 0b0111110;
const WEEKEND = 0b1000001;

const MORNING = 1;
const AFTERNOON = 2;
const EVENING = 4;
const NIGHT = 8;
const PART_WORDS: Record<string, number> = {
  morning: MORNING,
  afternoon: AFTERNOON,
  noon: AFTERNOON,
  lunch: AFTERNOON,
  lunchtime: AFTERNOON,
  evening: EVENING,
  night: NIGHT,
  tonight: EVENING,
};

const DAY = `(${WEEKDAYS.join('|')})`;
const PART = '(morning|afternoon|evening|night)';
// "every Friday", "each Monday", "every other Tuesday", "Fridays".
const EVERY_DAY_NAMED = new RegExp(`\\b(?:every|each)(?: other)? ${DAY}\\b`, 'g');
const PLURAL_DAY = new RegExp(`\\b${DAY}s\\b`, 'g');
// "Thursday mornings", "Monday and Wednesday evenings": every day of the list counts.
const DAY_PARTS = new RegExp(`\\b${DAY}(?:(?:,|,? and|,? or|/) ?${DAY})* ${PART}s\\b`, 'g');
const DAY_NAME = new RegExp(`\\b${DAY}\\b`, 'g');
const DAY_NAMED = new RegExp(`\\b${DAY}s?\\b`, 'g');
const PART_WORD = new RegExp(`\\b(${Object.keys(PART_WORDS).join('|')})s?\\b`, 'gi');
const WEEKENDS = /\b(?:every|each) weekend\b|\bweekends\b|\bon the weekends?\b/;
const WORKWEEK =
  /\b(?:every|each) (?:weekday|work ?day|school ?day)\b|\bweekdays\b|\bmonday (?:to|through|thru|-) friday\b|\bmon ?- ?fri\b/;
const DAILY = new RegExp(
  `\\b(?:every|each) (?:single )?(?:day|${PART.slice(1, -1)})\\b|\\bdaily\\b|\\bnightly\\b`,
);
const EVERY_PART = new RegExp(`\\b(?:every|each) ${PART}\\b`, 'g');
// A clock time: "3:15", "08:00", "T15:00", "3pm", "10 am". A bare number is no time.
const CLOCK = /(?:\b|T)(\d{1,2})(?::(\d{2}))?\s?(am|pm|a\.m\.|p\.m\.)?(?![\d:])/gi;

/**
 * When a statement says something recurs, or undefined: "every Friday", "on Thursdays",
 * "Tuesday evenings", "weekends" name days; "every day", "every afternoon", "weekdays",
 * "daily" cover a range of them. The part of the day comes from its words or clock
 * times ("at 3:15", "1-3pm"), when it gives one.
 */
export function recurrenceOf(text: string): Recurrence | undefined {
  const lower = text.toLowerCase();
  let named = 0;
  for (const pattern of [EVERY_DAY_NAMED, PLURAL_DAY]) {
    for (const match of lower.matchAll(pattern)) named |= dayBit(match[1]);
  }
  for (const list of lower.matchAll(DAY_PARTS)) {
    for (const match of list[0].matchAll(DAY_NAME)) named |= dayBit(match[1]);
  }
  if (WEEKENDS.test(lower)) named |= WEEKEND;
  let range = 0;
  if (WORKWEEK.test(lower)) range |= WORKDAYS;
  if (DAILY.test(lower)) range |= ALL_DAYS;
  if (named === 0 && range === 0) return undefined;
  let parts = partsOf(lower, false);
  for (const match of lower.matchAll(EVERY_PART)) parts |= PART_WORDS[match[1] ?? ''] ?? 0;
  return named !== 0
    ? { days: named, parts, namedDays: true }
    : { days: range, parts, namedDays: false };
}

/**
 * The days of the week and the parts of the day an event is about: the weekdays of its
 * days (`eventDays`: every day of a span, all seven past a week), the days an iCalendar
 * rule repeats on (`BYDAY=MO,WE`) or that its arguments and turn name, and the parts of
 * the day its times ("T15:00", "13:00-16:00") or words ("evening") give.
 */
export function eventWeekTimes(
  event: Pick<AnticipationEvent, 'toolArgs' | 'content'>,
  days: readonly Date[],
): WeekTimes {
  let weekdays = 0;
  if (days.length > 0) {
    const times = days.map((day) => day.getTime());
    const first = Math.min(...times);
    const last = Math.min(Math.max(...times), first + 6 * DAY_MS);
    for (let at = first; at <= last; at += DAY_MS) weekdays |= 1 << new Date(at).getUTCDay();
  }
  let parts = 0;
  for (const text of [...argStrings(event.toolArgs), event.content]) {
    if (!text) continue;
    for (const match of text.matchAll(/\bBYDAY=([A-Z0-9,+-]+)/g)) {
      for (const code of (match[1] ?? '').split(',')) {
        const at = BYDAY_CODES.indexOf(code.replace(/^[+-]?\d*/, ''));
        if (at >= 0) weekdays |= 1 << at;
      }
    }
    const lower = text.toLowerCase();
    for (const match of lower.matchAll(DAY_NAMED)) {
      weekdays |= dayBit(match[1]);
    }
    parts |= partsOf(text, true);
  }
  return { days: weekdays, parts, openTime: leavesTimeOpen(event.toolArgs) };
}

/** An argument for the time of day left empty: the agent is about to choose one. */
const TIME_SLOT = /^(?:start_?time|time|start|preferred_time|slot|time_slot|when)$/i;

function leavesTimeOpen(args: unknown): boolean {
  return emptyArgNames(args).some((name) => TIME_SLOT.test(name));
}

/**
 * True when a habit is in the way of the event: it recurs on one of the event's days
 * and, when both give a part of the day, at the same part. A habit of every day or of
 * a range of days ("naps every afternoon", "picks the kids up at 3:15 every weekday")
 * says something only about an event at a known time of day: it must name a part of
 * the day, and the event's must be the same, or still be open (a meeting whose start
 * the agent is about to choose).
 */
export function recursAtEventTime(recurrence: Recurrence, event: WeekTimes): boolean {
  if ((recurrence.days & event.days) === 0) return false;
  if (recurrence.parts !== 0 && event.parts !== 0) return (recurrence.parts & event.parts) !== 0;
  // A time still to be chosen that day may fall on the habit ("lunch 12-1 every day").
  if (recurrence.parts !== 0 && event.openTime) return true;
  return recurrence.namedDays;
}

function dayBit(name: string | undefined): number {
  const at = WEEKDAYS.indexOf(name ?? '');
  return at < 0 ? 0 : 1 << at;
}

/**
 * Parts of the day a text names, by word or by clock time. An hour from 1 to 6 without
 * am/pm is read as afternoon ("at 3:15" is school pickup, not a night shift), unless
 * written with a leading zero, as 24-hour times are ("03:00"). `isoTimes` reads the
 * `T15:00` of an ISO date-time too.
 */
function partsOf(text: string, isoTimes: boolean): number {
  let parts = 0;
  for (const match of text.matchAll(PART_WORD))
    parts |= PART_WORDS[match[1]?.toLowerCase() ?? ''] ?? 0;
  for (const match of text.matchAll(CLOCK)) {
    const [whole, hourText, minutes, meridiem] = match;
    const isoTime = whole.startsWith('T');
    if (isoTime && !isoTimes) continue;
    if (minutes === undefined && meridiem === undefined) continue;
    let hour = Number(hourText);
    if (hour > 23) continue;
    const suffix = meridiem?.toLowerCase().replaceAll('.', '');
    if (suffix === 'pm' && hour < 12) hour += 12;
    else if (suffix === 'am' && hour === 12) hour = 0;
    else if (
      suffix === undefined &&
      !isoTime &&
      !hourText?.startsWith('0') &&
      hour >= 1 &&
      hour <= 6
    ) {
      hour += 12;
    }
    parts |= partOfHour(hour);
  }
  return parts;
}

function partOfHour(hour: number): number {
  if (hour >= 5 && hour < 12) return MORNING;
  if (hour >= 12 && hour < 17) return AFTERNOON;
  if (hour >= 17 && hour < 21) return EVENING;
  return NIGHT;
}
