import { findDate, NUMBER_WORDS } from './date-mention.js';

const DAY_MS = 86_400_000;

/** "valid through <date>", "until <date>", "expires <date>", "runs till <date>", … */
const UNTIL =
  /\b(?:(?:valid|good|open|available|on|off|away|out|booked|running|runs?|lasts?|holds?)\s+)?(?:through|thru|until|till|til|up to and including)\b|\b(?:expires?|expiring|ends?|ending|finishes|closes|is over)(?:\s+on)?\b|\bvalid to\b/i;
/** "from <date> to <date>", "between <date> and <date>", "<date> - <date>". */
const RANGE = /\b(?:from|between)\b(.+?)\b(?:to|until|till|through|thru|and)\b(.+)$/i;
const COUNT = '(a|one|two|three|four|five|six|seven|eight|nine|ten|\\d+)';
/**
 * "for the next two weeks", "for 10 days", "for a month", "it's the next two weeks", "for
 * the next month" (one).
 */
const SPAN = new RegExp(
  `\\b(?:(?:for (?:the )?(?:next |coming )?|the (?:next|coming) )${COUNT} |(?:for )?the (?:next|coming) )(days?|weeks?|months?)\\b`,
  'i',
);
/** "… starting Monday", "from the 3rd": a span counts from then, not from when it was said. */
const SPAN_START = /\b(?:starting|beginning|from)\s+(?:on\s+)?/i;
/**
 * A span that names what lasts it: "six weeks of strict crate rest", "a 10-day course of
 * prednisone", "a two-week trial". Not one already over when said ("after six weeks of
 * physio", "the last two weeks of training", "three weeks ago").
 */
const SPAN_OF = new RegExp(
  `(?<!\\b(?:after|past|last|first|previous|those|these)\\s+)\\b${COUNT}[ -](days?|weeks?|months?)(?: of\\b|[ -](?:course|trial|break|leave|rest|ban|hold|freeze|pause|stay|restriction)\\b)(?!.*\\bago\\b)`,
  'i',
);
/** "back on Monday", "returning December 4": the day it stops holding, not its last. */
const BACK =
  /\b(?:back|returning|return)(?:\s+(?:at work|to work|in the office|home))?(?:\s+on)?\b/i;
/** Between the two dates of a bare range: "December 9 through December 11", "May 2 - May 9". */
const RANGE_LINK = /^\s*(?:to|through|thru|until|till|-|–|—)\s*/i;

export interface Validity {
  /** The first moment the statement no longer holds: the day after its last day. */
  validUntil: Date;
  /** When it starts holding, for a range ("from March 3 to March 9"); else null. */
  validFrom: Date | null;
  /** The words that said so. */
  text: string;
}

/**
 * When a statement stops holding, read from its sentence and anchored to when it was
 * said (`recordedAt`): "the offer is valid through March 3", "I'm on leave until the
 * 14th of May", "from June 2 to June 9", "June 2 to June 9", "for the next two weeks",
 * "six weeks of crate rest", "back on Monday". The last day named still holds; the
 * statement ends at the following midnight UTC ("back on" names the first day it no
 * longer holds).
 * Null when the sentence names no end.
 */
export function findValidity(sentence: string, recordedAt: Date): Validity | null {
  const range = RANGE.exec(sentence);
  if (range?.[1] && range[2]) {
    const start = findDate(range[1], recordedAt);
    // The end is read against the start: "from December 28 to January 3" crosses a year.
    const end = findDate(range[2], start ? new Date(start.date.getTime()) : recordedAt);
    if (start && end && end.date.getTime() >= start.date.getTime()) {
      return {
        validUntil: new Date(end.date.getTime() + DAY_MS),
        validFrom: start.date,
        text: range[0].trim().slice(0, 80),
      };
    }
  }
  const bare = bareRange(sentence, recordedAt);
  if (bare) return bare;
  const until = UNTIL.exec(sentence);
  if (until) {
    const after = sentence.slice(until.index + until[0].length);
    const end = findDate(after, recordedAt);
    // The date must follow the cue closely: "until I hear back, … on Friday" names no end.
    if (end && after.indexOf(end.text) <= 5) {
      return {
        validUntil: new Date(end.date.getTime() + DAY_MS),
        validFrom: null,
        text: `${until[0]}${after.slice(0, after.indexOf(end.text) + end.text.length)}`.trim(),
      };
    }
  }
  const back = BACK.exec(sentence);
  if (back) {
    const after = sentence.slice(back.index + back[0].length);
    const end = findDate(after, recordedAt);
    if (end && after.indexOf(end.text) <= 5) {
      return {
        validUntil: end.date,
        validFrom: null,
        text: `${back[0]}${after.slice(0, after.indexOf(end.text) + end.text.length)}`.trim(),
      };
    }
  }
  const span = SPAN.exec(sentence) ?? SPAN_OF.exec(sentence);
  if (span?.[2]) {
    const count = span[1] ? (NUMBER_WORDS[span[1].toLowerCase()] ?? Number(span[1])) : 1;
    const unit = span[2].toLowerCase();
    const days = unit.startsWith('week')
      ? count * 7
      : unit.startsWith('month')
        ? count * 30
        : count;
    const today = Date.UTC(
      recordedAt.getUTCFullYear(),
      recordedAt.getUTCMonth(),
      recordedAt.getUTCDate(),
    );
    const start = spanStart(sentence, recordedAt);
    return {
      validUntil: new Date((start?.getTime() ?? today) + (days + 1) * DAY_MS),
      validFrom: start ?? null,
      text: span[0],
    };
  }
  return null;
}

/** The day a span starts when the sentence names one ("… starting Monday"), else null. */
function spanStart(sentence: string, recordedAt: Date): Date | null {
  const cue = SPAN_START.exec(sentence);
  if (!cue) return null;
  const after = sentence.slice(cue.index + cue[0].length);
  const start = findDate(after, recordedAt);
  return start && after.indexOf(start.text) === 0 ? start.date : null;
}

/**
 * "December 9 through December 11", "May 2 - May 9": two dates joined by a range word
 * with no "from" before them. The first date of the sentence must be followed at once
 * by the link and the second.
 */
function bareRange(sentence: string, recordedAt: Date): Validity | null {
  const start = findDate(sentence, recordedAt);
  if (!start?.absolute) return null;
  const after = sentence.slice(sentence.indexOf(start.text) + start.text.length);
  const link = RANGE_LINK.exec(after);
  if (!link) return null;
  const rest = after.slice(link[0].length);
  const end = findDate(rest, start.date);
  if (!end || rest.indexOf(end.text) !== 0 || end.date.getTime() < start.date.getTime()) {
    return null;
  }
  return {
    validUntil: new Date(end.date.getTime() + DAY_MS),
    validFrom: start.date,
    text: `${start.text}${link[0]}${end.text}`,
  };
}
