import type { NewMemory } from '../../store/records.js';
import { cleanValue, slug } from './clause.js';
import { completeMemory, type ExtractionRule } from './memory-draft.js';
import { preferenceCategory } from './preference-category.js';

interface Stance {
  /** How the memory reads: "Prefers aisle seats". */
  label: string;
  strength: number;
}

const STRONG = 0.9;
const MEDIUM = 0.6;

const STANCES: Record<string, Stance> = {
  love: { label: 'Loves', strength: STRONG },
  adore: { label: 'Loves', strength: STRONG },
  hate: { label: 'Hates', strength: STRONG },
  "can't stand": { label: 'Hates', strength: STRONG },
  detest: { label: 'Hates', strength: STRONG },
  like: { label: 'Likes', strength: MEDIUM },
  enjoy: { label: 'Enjoys', strength: MEDIUM },
  prefer: { label: 'Prefers', strength: MEDIUM },
  dislike: { label: 'Dislikes', strength: MEDIUM },
  "don't like": { label: 'Dislikes', strength: MEDIUM },
  'do not like': { label: 'Dislikes', strength: MEDIUM },
  'would rather': { label: 'Would rather', strength: MEDIUM },
  'would prefer': { label: 'Prefers', strength: MEDIUM },
  "'d prefer": { label: 'Prefers', strength: MEDIUM },
  'big fan of': { label: 'Loves', strength: STRONG },
  'fan of': { label: 'Likes', strength: MEDIUM },
  'not a fan of': { label: 'Dislikes', strength: MEDIUM },
  "'d rather": { label: 'Would rather', strength: MEDIUM },
  always: { label: 'Always', strength: STRONG },
  never: { label: 'Never', strength: STRONG },
};

const ADVERBS =
  '(?:really |absolutely |generally |usually |definitely |much |totally |just |kind of )*';
const PREFERENCE = new RegExp(
  `\\bI(?: |(?='))${ADVERBS}(love|adore|hate|can't stand|detest|like|enjoy|prefer|dislike|don't like|do not like|would rather|'d rather|would prefer|'d prefer|always|never) (.+)$`,
  'i',
);
/** "I'm a huge fan of …", "I'm not a fan of …". */
const FAN =
  /\b(?:I'm|I am) (not |really not |not really )?(?:a |an )?(big |huge |massive )?fan of (.+)$/i;
/** Standing instructions to the assistant: "Please always reply in bullet points". */
const INSTRUCTION =
  /^(?:please |and |also )*(always|never) ((?:reply|respond|answer|write|use|send|call|email|text|keep|give|include|format|add|mention|ask|book|put|show|list|start|end|sign)\b.*)$/i;
/** "I'd like to book…" and "I would like a refund" are requests, not tastes. */
const REQUEST = /\b(?:would|'d|should|could) (?:really )?(?:like|love)\b/i;
/** Objects that say nothing on their own ("I never said that", "I hate it when…"). */
const NOT_A_PREFERENCE =
  /^(?:said|asked|told|meant|got|received|thought|knew|know|heard|had|it|that|this|them)\b/i;

/**
 * Preferences: "I prefer/like/love/hate …", "I'd rather …", "I always/never …".
 * Strength comes from the verb (love/hate/always/never are strong); the subject key is
 * the object, so "I love sushi" then "I hate sushi" leaves only the latest stance current.
 */
export const preferenceRule: ExtractionRule = (clause, message) => {
  if (clause.question) return [];
  const instruction = INSTRUCTION.exec(clause.text);
  if (instruction) return instructionPreference(instruction, clause, message);
  if (REQUEST.test(clause.text) && !/\b(?:would|'d) prefer\b/i.test(clause.text)) return [];
  const fan = FAN.exec(clause.text);
  const match = fan ? null : PREFERENCE.exec(clause.text);
  if (!fan && !match) return [];
  const verb = fan
    ? fan[1]
      ? 'not a fan of'
      : fan[2]
        ? 'big fan of'
        : 'fan of'
    : (match?.[1] ?? '').toLowerCase();
  const object = cleanPreferenceObject((fan ? fan[3] : match?.[2]) ?? '');
  const stance = STANCES[verb];
  if (!stance || object === '' || NOT_A_PREFERENCE.test(object)) return [];
  const habit = verb === 'always' || verb === 'never';
  // "never learned to drive stick" is what happened, not a habit: the statement rule's.
  if (habit && PAST_TENSE.test(object)) return [];
  // The object decides the category; the sentence only when the object says nothing.
  const objectCategory = preferenceCategory(object);
  const category =
    objectCategory === 'general' ? preferenceCategory(clause.sentence) : objectCategory;
  const content = `${stance.label} ${habit ? thirdPerson(object) : object}`;
  const memory: NewMemory = completeMemory(
    {
      memoryType: 'preferences',
      content,
      confidence: 0.8,
      entityId: object.toLowerCase(),
      subjectKey: `preference:${slug(object.replace(/^(?:a|an|the|my|some)\s+/i, ''))}`,
      category,
      strength: stance.strength,
      metadata: { stance: verb.replace(/^'d /, 'would ') },
    },
    message,
    clause,
  );
  return [memory];
};

/**
 * "Please always reply in bullet points": how the user wants the assistant to work.
 * The key leaves out always/never, so "never reply in bullet points" replaces it.
 */
function instructionPreference(
  match: RegExpExecArray,
  clause: Parameters<ExtractionRule>[0],
  message: Parameters<ExtractionRule>[1],
): NewMemory[] {
  const habit = (match[1] ?? '').toLowerCase();
  const action = cleanPreferenceObject(match[2] ?? '');
  if (action === '') return [];
  return [
    completeMemory(
      {
        memoryType: 'preferences',
        content: `Wants the assistant to ${habit} ${action}`,
        confidence: 0.85,
        entityId: action.toLowerCase(),
        subjectKey: `preference:${slug(action)}`,
        category:
          preferenceCategory(action) === 'general' ? 'communication' : preferenceCategory(action),
        strength: STRONG,
        metadata: { stance: habit, instruction: true },
      },
      message,
      clause,
    ),
  ];
}

/** Drops trailing scope phrases: "a window seat for this trip" → "a window seat". */
function cleanPreferenceObject(text: string): string {
  return cleanValue(text)
    .replace(/\s+\b(?:for|on|during) this \w+.*$/i, '')
    .replace(/\s+\bjust this once\b.*$/i, '')
    .trim();
}

/** A phrase that opens with a verb in the past tense ("learned to …", "got …", "went …"). */
const PAST_TENSE =
  /^(?:\p{L}{2,}ed|got|went|had|was|were|did|made|took|saw|came|ran|ate|drove|flew|knew|thought|felt|found|left|lost|won|bought|paid|told|said)\b/iu;

/** "fly economy" → "flies economy": the habit reads about the user in the third person. */
export function thirdPerson(phrase: string): string {
  const [verb = '', ...rest] = phrase.split(' ');
  const lower = verb.toLowerCase();
  let conjugated: string;
  if (lower === 'have') conjugated = 'has';
  else if (lower === 'be') conjugated = 'is';
  else if (/[^aeiou]y$/.test(lower)) conjugated = `${verb.slice(0, -1)}ies`;
  else if (/(?:s|sh|ch|x|z|o)$/.test(lower)) conjugated = `${verb}es`;
  else conjugated = `${verb}s`;
  return [conjugated, ...rest].join(' ');
}
