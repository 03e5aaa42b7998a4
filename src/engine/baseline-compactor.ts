import type { CompactionRecord, MessageRecord } from '../store/records.js';
import { type StatementKeys, statementKeys } from './extraction/index.js';
import { estimateTokens } from './token-estimate.js';

/** What a compactor produces from the previous compaction and the turns since. */
export type CompactionResult = Pick<
  CompactionRecord,
  | 'summary'
  | 'facts'
  | 'decisions'
  | 'preferences'
  | 'currentState'
  | 'originalTokenCount'
  | 'compactedTokenCount'
>;

/** What a compactor reads: the last completed compaction and the turns after its cut. */
export interface CompactionInput {
  /** The compaction to build on (incremental), or null for the first one. */
  previous: CompactionRecord | null;
  /** Only the turns after `previous.throughSeq`, oldest first. */
  messages: MessageRecord[];
  /** The size the compacted context should aim at; null for the compactor's default. */
  targetTokens: number | null;
}

/**
 * Folds new turns into the previous compaction. `BaselineCompactor` is the offline
 * default; `ModelCompactor` plugs an AI SDK model in behind the same interface.
 */
export interface Compactor {
  compact(input: CompactionInput): Promise<CompactionResult>;
}

const FACT = /\b(i am|i'm|my|i have|i've|i live|i work|we are|our)\b/i;
const PREFERENCE = /\b(prefer|like|love|hate|dislike|always|never|favou?rite|rather|want)\b/i;
const DECISION =
  /\b(decided|let's|let us|we will|we'll|agreed|going with|booked|confirmed|chose|will go)\b/i;
const MAX_LIST = 20;
/** The compacted size aimed at when a request names none. */
export const DEFAULT_TARGET_TOKENS = 800;

/**
 * The offline default: extractive and deterministic, so tests and the demo need no
 * model. It keeps the user's own statements of fact, preference and decision, and a
 * one-line-per-request summary, building on the previous compaction (incremental).
 * A statement whose subjects the extraction rules recognise replaces an older one
 * about the same subjects, so "I moved to Lisbon" displaces "I live in Porto".
 */
export class BaselineCompactor implements Compactor {
  async compact(input: CompactionInput): Promise<CompactionResult> {
    const { previous, messages } = input;
    const target = input.targetTokens ?? DEFAULT_TARGET_TOKENS;
    const facts = [...(previous?.facts ?? [])];
    const decisions = [...(previous?.decisions ?? [])];
    const preferences = [...(previous?.preferences ?? [])];
    // Line by line, so a long earlier summary loses its oldest lines, not all of them.
    const requests: string[] = previous?.summary ? previous.summary.split('\n') : [];
    const keysOf = new Map<string, StatementKeys>();
    for (const message of messages) {
      for (const sentence of sentences(message.content)) {
        const keys = statementKeys(sentence, message);
        keysOf.set(sentence, keys);
        // A newer statement about a subject replaces the older one ("I moved to Lisbon").
        dropOlder(facts, keys.facts, (item) => keysFor(item, message, keysOf).facts);
        dropOlder(
          preferences,
          keys.preferences,
          (item) => keysFor(item, message, keysOf).preferences,
        );
        if (message.role === 'user' && (PREFERENCE.test(sentence) || keys.preferences.length > 0))
          addUnique(preferences, sentence);
        else if (message.role === 'user' && (FACT.test(sentence) || keys.facts.length > 0))
          addUnique(facts, sentence);
        if (DECISION.test(sentence)) addUnique(decisions, sentence);
      }
      if (message.role === 'user') requests.push(`User: ${firstSentence(message.content)}`);
    }
    const last = messages.at(-1);
    const lastUser = [...messages].reverse().find((message) => message.role === 'user');
    const currentState: Record<string, unknown> = {
      status: last?.role === 'user' ? 'awaiting_assistant' : 'active',
      ...(lastUser ? { last_user_request: firstSentence(lastUser.content) } : {}),
      open_questions: messages
        .filter((m) => m.role === 'user' && m.content.trim().endsWith('?'))
        .slice(-3)
        .map((m) => firstSentence(m.content)),
      next_steps: decisions.slice(-3),
    };
    const summary = fitToBudget(requests, Math.max(50, Math.floor(target / 2)));
    const result = {
      summary,
      facts: facts.slice(-MAX_LIST),
      decisions: decisions.slice(-MAX_LIST),
      preferences: preferences.slice(-MAX_LIST),
      currentState,
    };
    return { ...result, ...compactionTokenCounts(previous, messages, result) };
  }
}

/**
 * Token counts of an incremental compaction: the original count adds the new turns to
 * what the previous compaction already covered; the compacted count is the prompt text.
 */
export function compactionTokenCounts(
  previous: CompactionRecord | null,
  messages: MessageRecord[],
  result: Pick<CompactionResult, 'summary' | 'facts' | 'decisions' | 'preferences'>,
): Pick<CompactionResult, 'originalTokenCount' | 'compactedTokenCount'> {
  return {
    originalTokenCount:
      (previous?.originalTokenCount ?? 0) +
      messages.reduce((sum, message) => sum + estimateTokens(message.content), 0),
    compactedTokenCount: estimateTokens(formatCompaction(result)),
  };
}

/** The compacted context as prompt text, the `formatted_context` of the REST answers. */
export function formatCompaction(
  compaction: Pick<CompactionResult, 'summary' | 'facts' | 'decisions' | 'preferences'>,
): string {
  const sections = [compaction.summary ? `Summary:\n${compaction.summary}` : ''];
  const list = (title: string, items: string[]) =>
    items.length ? `${title}:\n${items.map((item) => `- ${item}`).join('\n')}` : '';
  sections.push(
    list('Facts', compaction.facts),
    list('Preferences', compaction.preferences),
    list('Decisions', compaction.decisions),
  );
  return sections.filter(Boolean).join('\n\n');
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 3);
}

function firstSentence(text: string): string {
  const first = sentences(text)[0] ?? text.trim();
  return first.length > 160 ? `${first.slice(0, 157)}...` : first;
}

/** Keys of a kept sentence; an earlier compaction's sentences are read as the user's. */
function keysFor(
  sentence: string,
  message: MessageRecord,
  cache: Map<string, StatementKeys>,
): StatementKeys {
  let keys = cache.get(sentence);
  if (!keys) {
    keys = statementKeys(sentence, { ...message, role: 'user' });
    cache.set(sentence, keys);
  }
  return keys;
}

/**
 * Drops the older sentences whose every subject the new one restates. One that also
 * says something else ("I live in Porto and I work at Acme") stays: losing the employer
 * would be worse than keeping a city the newer sentence, listed after it, corrects.
 */
function dropOlder(list: string[], keys: string[], keysOfItem: (item: string) => string[]): void {
  if (keys.length === 0) return;
  for (let index = list.length - 1; index >= 0; index--) {
    const older = keysOfItem(list[index] as string);
    if (older.length > 0 && older.every((key) => keys.includes(key))) list.splice(index, 1);
  }
}

function addUnique(list: string[], item: string): void {
  if (!list.some((existing) => existing.toLowerCase() === item.toLowerCase())) list.push(item);
}

/** Keeps the newest lines that fit: the start of a long conversation matters least. */
function fitToBudget(lines: string[], tokens: number): string {
  const kept: string[] = [];
  let used = 0;
  for (const line of [...lines].reverse()) {
    const cost = estimateTokens(line) + 1;
    if (used + cost > tokens) break;
    kept.unshift(line);
    used += cost;
  }
  return kept.join('\n');
}
