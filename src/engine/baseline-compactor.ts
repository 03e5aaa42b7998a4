import type { CompactionRecord, MessageRecord } from '../store/records.js';
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

export interface Compactor {
  compact(input: {
    previous: CompactionRecord | null;
    messages: MessageRecord[];
    targetTokens: number | null;
  }): Promise<CompactionResult>;
}

const FACT = /\b(i am|i'm|my|i have|i've|i live|i work|we are|our)\b/i;
const PREFERENCE = /\b(prefer|like|love|hate|dislike|always|never|favou?rite|rather|want)\b/i;
const DECISION =
  /\b(decided|let's|let us|we will|we'll|agreed|going with|booked|confirmed|chose|will go)\b/i;
const MAX_LIST = 20;
const DEFAULT_TARGET_TOKENS = 800;

/**
 * The offline default: extractive and deterministic, so tests and the demo need no
 * model. It keeps the user's own statements of fact, preference and decision, and a
 * one-line-per-request summary, building on the previous compaction (incremental).
 */
export class BaselineCompactor implements Compactor {
  async compact(input: {
    previous: CompactionRecord | null;
    messages: MessageRecord[];
    targetTokens: number | null;
  }): Promise<CompactionResult> {
    const { previous, messages } = input;
    const target = input.targetTokens ?? DEFAULT_TARGET_TOKENS;
    const facts = [...(previous?.facts ?? [])];
    const decisions = [...(previous?.decisions ?? [])];
    const preferences = [...(previous?.preferences ?? [])];
    const requests: string[] = previous?.summary ? [previous.summary] : [];
    for (const message of messages) {
      for (const sentence of sentences(message.content)) {
        if (message.role === 'user' && PREFERENCE.test(sentence)) addUnique(preferences, sentence);
        else if (message.role === 'user' && FACT.test(sentence)) addUnique(facts, sentence);
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
    const originalTokenCount =
      (previous?.originalTokenCount ?? 0) +
      messages.reduce((sum, message) => sum + estimateTokens(message.content), 0);
    return {
      ...result,
      originalTokenCount,
      compactedTokenCount: estimateTokens(formatCompaction(result)),
    };
  }
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
