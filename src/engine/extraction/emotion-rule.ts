import { semanticWords } from '../semantic/semantic-similarity.js';
import { cleanValue } from './clause.js';
import { completeMemory, type ExtractionRule } from './memory-draft.js';

const EMOTIONS =
  'frustrated|annoyed|angry|furious|upset|irritated|excited|thrilled|happy|glad|delighted|worried|anxious|nervous|stressed|sad|disappointed|exhausted|overwhelmed|relieved|confused|scared|afraid|grateful|thankful|nervous|bored|lonely|hopeful|proud';
const INTENSIFIERS =
  '(?:so |really |very |a bit |a little |quite |pretty |extremely |super |kind of |incredibly |totally |getting |feeling |starting to feel |becoming )*';
const EMOTION = new RegExp(
  `(?:\\b(?:I'm|I am|I feel|I've been|I have been|I was|I got|I get) |^(?:honestly,? |ugh,? |so |just )*(?:feeling|getting|been feeling) )${INTENSIFIERS}(${EMOTIONS})\\b(?:\\s+(?:about|with|by|that|because|for|of) (.+))?`,
  'i',
);
/** Idioms that name a feeling without its word: "this is driving me crazy". */
const IDIOMS: [RegExp, string][] = [
  [
    /\b(?:driving me (?:crazy|nuts|insane|mad|up the wall)|(?:I'm|I am) (?:so |really )?(?:fed up|sick and tired|sick of|tired of))\b(?:\s+(?:with|of|about) (.+))?/i,
    'frustrated',
  ],
  [
    /\b(?:(?:I'm|I am) (?:so |really )?(?:over the moon|on cloud nine)|can't wait)\b(?:\s+(?:for|about|to) (.+))?/i,
    'excited',
  ],
  [
    /\b(?:(?:I'm|I am) (?:so |really )?(?:freaking out|losing sleep|on edge))\b(?:\s+(?:about|over) (.+))?/i,
    'anxious',
  ],
];
/** Why the user feels it, when they say so: "… since my hours got cut", "… because …". */
const REASON = /\b(?:since|because|cause|'cause) (.+)$/i;
/** A reason of fewer content words is a time ("since Monday"), not a fact. */
const MIN_REASON_WORDS = 2;
/** How long an emotion stays context: a mood is stale after a few days. */
export const EMOTION_TTL_MS = 3 * 86_400_000;

/**
 * Emotions: "I'm frustrated with…", "I feel so excited about…", "I'm getting worried",
 * "Feeling anxious about…", and a few idioms ("this is driving me crazy" is frustration).
 * They expire after three days. "I'm not worried" never matches: the pattern allows
 * intensifiers between the verb and the feeling, never "not". The reason a user gives
 * ("I'm worried about money since my hours got cut") outlives the mood: it is a fact of
 * its own, in the user's words.
 */
export const emotionRule: ExtractionRule = (clause, message) => {
  if (clause.question) return [];
  const match = EMOTION.exec(clause.text);
  let feeling = match?.[1]?.toLowerCase();
  let causeText = match?.[2];
  if (!feeling) {
    for (const [idiom, named] of IDIOMS) {
      const found = idiom.exec(clause.text);
      if (found) {
        feeling = named;
        causeText = found[1];
        break;
      }
    }
  }
  if (!feeling) return [];
  const cause = causeText ? cleanCause(causeText) : '';
  const reason = REASON.exec(clause.text)?.[1]?.trim() ?? '';
  const reasonFact =
    semanticWords(reason).length >= MIN_REASON_WORDS
      ? [
          completeMemory(
            {
              memoryType: 'facts',
              content: reason.charAt(0).toUpperCase() + reason.slice(1),
              confidence: 0.6,
              metadata: { rule: 'emotion-reason' },
            },
            message,
            clause,
          ),
        ]
      : [];
  return [
    ...reasonFact,
    completeMemory(
      {
        memoryType: 'emotions',
        content: cause ? `Feels ${feeling} about ${cause}` : `Feels ${feeling}`,
        confidence: 0.7,
        entityId: cause,
        validUntil: new Date(message.recordedAt.getTime() + EMOTION_TTL_MS),
        temporalCategory: 'temporal_fact',
        metadata: { emotion: feeling },
      },
      message,
      clause,
    ),
  ];
};

/** "that my flight got cancelled" reads better as "my flight got cancelled". */
function cleanCause(text: string): string {
  return cleanValue(text.replace(/^(?:that|the fact that)\s+/i, ''));
}
