import { slug } from './clause.js';

/** Nouns that name a plan with a date: what a temporal event is about. */
const EVENT_NOUNS =
  'appointment|meeting|flight|trip|interview|call|dinner|lunch|breakfast|party|wedding|exam|test|deadline|surgery|operation|checkup|check-up|visit|reservation|booking|class|lesson|concert|game|match|presentation|demo|review|launch|vacation|holiday|conference|session|standup|stand-up|checkout|check-in|check-out|delivery|move|shift|date|ceremony|recital|training|workshop|webinar|hearing|consultation|birthday|anniversary|graduation|funeral';

/**
 * "my dentist appointment", "our team offsite meeting", "the flight to Lisbon": a
 * determiner, up to two modifiers, an event noun, and an optional "to/with <Name>".
 */
const EVENT_PHRASE = new RegExp(
  `\\b(?:my|our|the|a|an)\\s+((?:[\\w'-]+\\s+){0,2}?(?:${EVENT_NOUNS}))\\b`,
  'i',
);
/** Right after the event phrase; case-sensitive, since only a name is a target. */
const TARGET = /^\s+(?:to|with|in|at|for)\s+(\p{Lu}[\p{L}'-]*(?:\s+\p{Lu}[\p{L}'-]*)*)/u;

/** Capitalised words that are dates, not places or people: "moved my flight to Monday". */
const DATE_WORD =
  /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|today|tomorrow|tonight|next|this)\b/i;

/** Modifiers that say nothing about which event it is ("my next appointment"). */
const FILLER = /^(?:next|upcoming|new|big|usual|first|last|same|other|rescheduled|\d+\w*)$/i;

/**
 * The subject key of a temporal event, so a rescheduled event supersedes the old one:
 * "My dentist appointment is on Friday" and "I moved my dentist appointment to Monday"
 * both answer `event:dentist_appointment`. A destination or person stays part of the
 * key ("my flight to Lisbon" is not "my flight to Tokyo"); a date never does. '' when
 * the sentence names no event, and then nothing is superseded.
 */
export function eventSubjectKey(sentence: string, dateText = ''): string {
  const text = sentence.replace(/[’‘]/g, "'");
  // "Our standup is daily, and the review is on December 12": the event is the one
  // named in the part of the sentence that holds the date.
  const part = dateText
    ? text.split(/,|;|\band\b|\bbut\b/).find((segment) => segment.includes(dateText))
    : undefined;
  const match = (part !== undefined ? EVENT_PHRASE.exec(part) : null) ?? EVENT_PHRASE.exec(text);
  if (!match?.[1]) return '';
  const words = match[1]
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => !FILLER.test(word));
  const source = match.input;
  const named = TARGET.exec(source.slice(match.index + match[0].length))?.[1] ?? '';
  const target = DATE_WORD.test(named) ? '' : named;
  const key = slug([...words, target].filter(Boolean).join(' '));
  return key === '' ? '' : `event:${key}`;
}
