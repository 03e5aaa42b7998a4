import { findDate, NUMBER_WORDS } from './date-mention.js';

const DAY_MS = 86_400_000;

/** "valid through <date>", "until <date>", "expires <date>", "runs till <date>", … */
const UNTIL =
  /\b(?:(?:valid|good|open|available|on|off|away|out|booked|running|runs?|lasts?|holds?)\s+)?(?:through|thru|until|till|til|up to and including)\b|\b(?:expires?|expiring|ends?|ending|finishes|closes|is over)(?:\s+on)?\b|\bvalid to\b/i;
/** "from <date> to <date>", "between <date> and <date>", "<date> - <date>". */
const RANGE = /\b(?:from|between)\b(.+?)\b(?:to|until|till|through|thru|and)\b(.+)$/i;
/** "for the next two weeks", "for 10 days", "for a month". */
const SPAN =
  /\bfor (?:the )?(?:next |coming )?(a|one|two|three|four|five|six|seven|eight|nine|ten|\d+) (days?|weeks?|months?)\b/i;

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
 * 14th of May", "from June 2 to June 9", "for the next two weeks". The last day
 * named still holds; the statement ends at the following midnight UTC.
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
  const span = SPAN.exec(sentence);
  if (span?.[1] && span[2]) {
    const count = NUMBER_WORDS[span[1].toLowerCase()] ?? Number(span[1]);
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
    return { validUntil: new Date(today + (days + 1) * DAY_MS), validFrom: null, text: span[0] };
  }
  return null;
}
