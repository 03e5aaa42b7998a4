import { findDate } from './date-mention.js';
import { eventSubjectKey } from './event-subject.js';
import { completeMemory, type ExtractionRule } from './memory-draft.js';

const DAY_MS = 86_400_000;
/** A sentence in the past tense talks about what happened (an episode), not what is coming. */
const PAST = /\b(?:was|were|did|had|went|flew|got|yesterday|last|ago)\b/i;
/** "got moved to Monday", "was pushed to Friday": a past verb about a future date. */
export const RESCHEDULED =
  /\b(?:moved|rescheduled|pushed|postponed|shifted|bumped|delayed|changed|brought forward)\b/i;

/**
 * Temporal events: a statement with a date or a relative day ("on December 3", "next
 * Friday", "tomorrow", "2026-12-03"), resolved against the message's recordedAt into
 * `eventDate`. The event stops being served the day after it (`validUntil`), since an
 * upcoming flight is no context once it has flown. Past dates are left to episodes.
 * The whole sentence is the content: the date often sits in another clause than the verb.
 * The event's subject key ("my dentist appointment" → `event:dentist_appointment`) lets
 * "I moved my dentist appointment to Monday" supersede "… is on Friday".
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
  return [
    completeMemory(
      {
        memoryType: 'temporal_events',
        content: clause.sentence.replace(/[.!\s]+$/, ''),
        confidence: mention.absolute ? 0.85 : 0.75,
        subjectKey: eventSubjectKey(clause.sentence, mention.text),
        eventDate: mention.date,
        validUntil: new Date(mention.date.getTime() + DAY_MS),
        temporalCategory: 'temporal_fact',
        metadata: { date_text: mention.text },
      },
      message,
      clause,
    ),
  ];
};
