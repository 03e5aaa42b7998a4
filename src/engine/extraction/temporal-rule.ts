import { partsHolding } from './clause.js';
import { findDate } from './date-mention.js';
import { eventSubjectKey } from './event-subject.js';
import { completeMemory, type ExtractionRule } from './memory-draft.js';

const DAY_MS = 86_400_000;
/** A sentence in the past tense talks about what happened (an episode), not what is coming. */
const PAST = /\b(?:was|were|did|had|went|flew|got|yesterday|last|ago)\b/i;
/** "got moved to Monday", "was pushed to Friday": a past verb about a future date. */
export const RESCHEDULED =
  /\b(?:moved|rescheduled|pushed|postponed|shifted|bumped|delayed|changed|brought forward)\b/i;

const WEEKDAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
/**
 * A weekday that recurs: "Tuesdays", "every Thursday", "Thursday mornings". Such a
 * statement is a routine (a fact), not one dated event that is over the day after.
 */
const RECURRING = new RegExp(
  `\\b(?:(?:every|each) ${WEEKDAY}|${WEEKDAY}s|${WEEKDAY} (?:mornings|afternoons|evenings|nights))\\b`,
  'i',
);
/**
 * A verb in the past tense, for a statement about today: "weighed in at 62 lb at the vet
 * today" happened, and what it says holds on; "the call is scheduled for today" is to
 * come. Participles that describe what is planned or felt are no past.
 */
const PAST_VERB =
  /\b(?!(?:scheduled|booked|planned|supposed|expected|excited|tired|worried|interested|needed|used|related|based|confirmed)\b)(?:\w{3,}ed|was|were|did|had|went|got|came|saw|took|made|told|said|ran|ate|bought|paid|left|met|found|gave|broke|fell|won|lost|spent|sent|built|brought|thought|felt|kept|slept|wrote|drove|rode|began|sat|stood|heard|held|taught|caught|sold|spoke|chose|forgot|woke)\b/i;
/** Words that put a sentence's weekday ahead, whatever tense its other verbs are in. */
const AHEAD =
  /\b(?:will|'ll|going to|gonna|next|this|coming|upcoming|tomorrow|scheduled|booked|planned)\b/i;
/** Something that is scheduled: with it, a weekday is the coming one whatever the tense. */
const SCHEDULED_THING =
  /\b(?:appointment|meeting|call|flight|reservation|booking|class|lesson|session|interview|surgery|exam|test|deadline|party|visit|check-?up|shift)s?\b/i;
/** A weekday named alone ("saturday", "on Saturday"): which one it is, the tense says. */
const BARE_WEEKDAY = new RegExp(`^(?:on )?${WEEKDAY}$`, 'i');

/** "starting December 6", "from Monday on", "as of the 1st": the statement holds from then on. */
const STARTS = /\b(?:starting|from|since|as of|beginning|effective|begins|starts)\s*(?:on\s+)?$/i;

/**
 * Temporal events: a statement with a date or a relative day ("on December 3", "next
 * Friday", "tomorrow", "2026-12-03"), resolved against the message's recordedAt into
 * `eventDate`. The event stops being served the day after it (`validUntil`), since an
 * upcoming flight is no context once it has flown. Past dates are left to episodes.
 * The whole sentence is the content: the date often sits in another clause than the verb.
 * The event's subject key ("my dentist appointment" → `event:dentist_appointment`) lets
 * "I moved my dentist appointment to Monday" supersede "… is on Friday". A date that
 * starts something ("starting December 6 the rent is $1,990") ends nothing; a weekday
 * that recurs ("yoga on Thursday mornings") is no event and left to the other rules.
 */
export const temporalRule: ExtractionRule = (clause, message) => {
  if (clause.question) return [];
  const mention = findDate(clause.sentence, message.recordedAt);
  if (!mention || (PAST.test(clause.sentence) && !RESCHEDULED.test(clause.sentence))) return [];
  const today = Date.UTC(
    message.recordedAt.getUTCFullYear(),
    message.recordedAt.getUTCMonth(),
    message.recordedAt.getUTCDate(),
  );
  if (mention.date.getTime() < today) return [];
  // What happened today is an episode, as yesterday's is: it is over, what it says holds.
  if (
    mention.date.getTime() === today &&
    PAST_VERB.test(clause.sentence) &&
    !RESCHEDULED.test(clause.sentence)
  ) {
    return [];
  }
  if (!mention.absolute && RECURRING.test(clause.sentence)) return [];
  // "spent saturday moving the frontend to pnpm": a bare weekday in the past tense is the
  // last one, an episode whose outcome holds; not the coming one, over the day after.
  if (
    BARE_WEEKDAY.test(mention.text.trim()) &&
    PAST_VERB.test(clause.sentence) &&
    !AHEAD.test(clause.sentence) &&
    !SCHEDULED_THING.test(clause.sentence) &&
    !RESCHEDULED.test(clause.sentence)
  ) {
    return [];
  }
  // A statement about someone else joined by a comma is not dated by the other part's
  // date: it is left to the other rules, and kept out of the event's content.
  const dated = partsHolding(clause.sentence, mention.text);
  if (!dated.includes(clause.text)) return [];
  const before = dated.slice(0, Math.max(0, dated.indexOf(mention.text)));
  // A start has no end: it holds from its date until something replaces it.
  const starts = STARTS.test(before);
  return [
    completeMemory(
      {
        memoryType: 'temporal_events',
        content: dated.replace(/[.!\s]+$/, ''),
        confidence: mention.absolute ? 0.85 : 0.75,
        subjectKey: eventSubjectKey(dated, mention.text),
        eventDate: mention.date,
        validUntil: starts ? null : new Date(mention.date.getTime() + DAY_MS),
        temporalCategory: 'temporal_fact',
        metadata: { date_text: mention.text },
      },
      message,
      clause,
    ),
  ];
};
