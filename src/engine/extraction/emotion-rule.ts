import { cleanValue } from './clause.js';
import { completeMemory, type ExtractionRule } from './memory-draft.js';

const EMOTIONS =
  'frustrated|annoyed|angry|furious|upset|irritated|excited|thrilled|happy|glad|delighted|worried|anxious|nervous|stressed|sad|disappointed|exhausted|overwhelmed|relieved|confused|scared|afraid|grateful|thankful|nervous|bored|lonely|hopeful|proud';
const INTENSIFIERS =
  '(?:so |really |very |a bit |a little |quite |pretty |extremely |super |kind of |incredibly |totally |getting |feeling |starting to feel |becoming )*';
const EMOTION = new RegExp(
  `\\b(?:I'm|I am|I feel|I've been|I have been|I was|I got|I get) ${INTENSIFIERS}(${EMOTIONS})\\b(?:\\s+(?:about|with|by|that|because|for|of) (.+))?`,
  'i',
);
/** How long an emotion stays context: a mood is stale after a few days. */
const EMOTION_TTL_MS = 3 * 86_400_000;

/**
 * Emotions: "I'm frustrated with…", "I feel so excited about…", "I'm getting worried".
 * They expire after three days. "I'm not worried" never matches: the pattern allows
 * intensifiers between the verb and the feeling, never "not".
 */
export const emotionRule: ExtractionRule = (clause, message) => {
  if (clause.question) return [];
  const match = EMOTION.exec(clause.text);
  const feeling = match?.[1]?.toLowerCase();
  if (!match || !feeling) return [];
  const cause = match[2] ? cleanCause(match[2]) : '';
  return [
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
