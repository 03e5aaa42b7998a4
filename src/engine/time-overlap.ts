import type { MemoryHit } from '../store/records.js';
import type { AnticipationEvent } from './anticipator.js';
import { findDate } from './extraction/date-mention.js';
import { argEntries } from './tool-args.js';

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})/;
const MAX_DATES = 8;
const WEEK = /\bweek\b/i;
/** Longer argument values are free text (a message, a note), whose dates say little. */
const MAX_DAY_WORDS_CHARS = 40;
const MAX_DEPTH = 3;

/**
 * The days an event is about: the ISO dates among its tool arguments ("check_in":
 * "2026-03-14"), or a day in words in an argument or the turn ("next Friday"; "next
 * week" is its seven days), or, for a plan given only a length ("weeks": 6), today and
 * the day it ends; as midnight UTC.
 */
export function eventDays(
  event: Pick<AnticipationEvent, 'toolArgs' | 'content'>,
  now: Date,
): Date[] {
  const days: Date[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (days.length >= MAX_DATES || depth > MAX_DEPTH) return;
    if (typeof value === 'string') {
      const match = ISO_DAY.exec(value.trim());
      if (match) {
        const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
        if (!Number.isNaN(day.getTime())) days.push(day);
      }
    } else if (Array.isArray(value)) {
      for (const entry of value) visit(entry, depth + 1);
    } else if (typeof value === 'object' && value !== null) {
      for (const entry of Object.values(value)) visit(entry, depth + 1);
    }
  };
  visit(event.toolArgs, 0);
  // A day in words, in an argument ("window": "next week", "when": "tomorrow") or else
  // in the turn; a week named so is all of its days.
  for (const text of [...shortStrings(event.toolArgs), event.content]) {
    if (days.length > 0 || !text) break;
    const mention = findDate(text, now);
    if (!mention) continue;
    days.push(mention.date);
    if (WEEK.test(mention.text)) days.push(new Date(mention.date.getTime() + 6 * DAY_MS));
  }
  if (days.length === 0) {
    const span = durationOf(event.toolArgs);
    if (span) {
      const today = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
      days.push(today, new Date(today.getTime() + span));
    }
  }
  return days;
}

/** The string values of tool arguments short enough to be a day in words. */
function shortStrings(args: unknown): string[] {
  return argEntries(args)
    .map(([, value]) => value)
    .filter(
      (value): value is string => typeof value === 'string' && value.length <= MAX_DAY_WORDS_CHARS,
    );
}

/**
 * A plan's length given as a number of days, weeks or months ("weeks": 6,
 * "duration_days": 10) and no dates: the plan runs from today for that long, and a race
 * or a trip inside it matters. A rate ("sessions_per_week", "frequency_weeks") is no span.
 */
const DURATION_KEY = /^(?:(?:duration|length|plan|num|number_of|total)_)?(days|weeks|months)$/i;
const RATE_KEY = /per|frequency|every|interval/i;
const UNIT_MS: Record<string, number> = { days: DAY_MS, weeks: 7 * DAY_MS, months: 30 * DAY_MS };
const MAX_SPAN_MS = 366 * DAY_MS;

function durationOf(args: unknown): number | undefined {
  for (const [key, value] of argEntries(args)) {
    const unit = DURATION_KEY.exec(key)?.[1]?.toLowerCase();
    if (!unit || RATE_KEY.test(key) || typeof value !== 'number' || !(value > 0)) continue;
    const span = value * (UNIT_MS[unit] ?? DAY_MS);
    if (span <= MAX_SPAN_MS) return span;
  }
  return undefined;
}

/**
 * True when the memory holds on one of the event's days: a statement with an end
 * ("no driving until March 20", "in hospital from May 2 to May 9") in force that day,
 * or a dated event on that very day. Booking a lab test across town during a driving
 * ban, or a call while in hospital, needs that memory whatever words it shares. An
 * event with two dates or more (a stay's check-in and check-out, a search from one day
 * to another) is about every day from the first to the last: jury duty on the 9th
 * matters to slots looked for between the 7th and the 14th.
 */
export function holdsOnEventDay(
  memory: Pick<MemoryHit, 'eventDate' | 'validUntil' | 'createdAt'>,
  days: readonly Date[],
): boolean {
  if (days.length === 0) return false;
  const times = days.map((day) => day.getTime());
  const first = Math.min(...times);
  // The end of the event's last day: the span is [first, last + 1 day).
  const end = Math.max(...times) + DAY_MS;
  if (memory.validUntil) {
    const until = memory.validUntil.getTime();
    // "until December 13" dates the event by its last day: it holds from when it was said.
    const startsLater = memory.eventDate !== null && memory.eventDate.getTime() < until - DAY_MS;
    const from = startOfDay(startsLater && memory.eventDate ? memory.eventDate : memory.createdAt);
    return days.length === 1 ? first >= from && first < until : from < end && first < until;
  }
  if (memory.eventDate) {
    const on = startOfDay(memory.eventDate);
    return days.length === 1 ? on === first : on >= first && on < end;
  }
  return false;
}

function startOfDay(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS) * DAY_MS;
}
