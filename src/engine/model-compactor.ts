import type { LanguageModel } from 'ai';
import { z } from 'zod';
import {
  type CompactionInput,
  type CompactionResult,
  type Compactor,
  compactionTokenCounts,
  DEFAULT_TARGET_TOKENS,
} from './baseline-compactor.js';

export interface ModelCompactorOptions {
  /** An AI SDK language model (ai@7 `LanguageModel`). */
  model: LanguageModel;
  /** Longest wait for one model call. Default 50 000 ms. */
  timeoutMs?: number;
  /** Retries inside the AI SDK for one call. Default 0: the job queue retries with backoff. */
  maxRetries?: number;
  /** Extra guidance appended to the built-in instructions. */
  instructions?: string;
}

const item = z.string().trim().min(1).max(500);

/** The model's answer, checked as a whole: a compaction is one coherent text, not a list to cherry-pick from. */
export const modelCompactionSchema = z
  .object({
    summary: z.string().trim().min(1).max(20_000),
    facts: z.array(item).max(50),
    decisions: z.array(item).max(50),
    preferences: z.array(item).max(50),
    current_state: z
      .object({
        status: z.string().max(100),
        open_questions: z.array(item).max(20),
        next_steps: z.array(item).max(20),
      })
      .catchall(z.unknown()),
  })
  .strict();

const INSTRUCTIONS = `You compact a conversation between a user and an AI assistant into context for the assistant's next turns.
You get the previous compaction (or none) and only the messages that came after it. Merge them: keep every earlier fact, decision and preference that still holds, replace those the new messages change, add the new ones, and rewrite the summary to cover the whole conversation.
Answer JSON with:
- summary: what the conversation is about and what happened, in short sentences, within the token target;
- facts: stable facts about the user and the task ("Lives in Lisbon", "Budget is 2000 EUR");
- decisions: what was decided or done ("Booked the 9:40 flight to Lisbon on December 3");
- preferences: the user's stated likes, dislikes and habits;
- current_state: {"status": "active" | "awaiting_assistant" | "awaiting_user" | "done", "open_questions": [...], "next_steps": [...]}, more keys only when they help.`;

/**
 * Compaction by an AI SDK model: one structured-output call (`generateText` with
 * `Output.object`) that merges the previous compaction with the turns after its cut,
 * so each compaction reads only the new turns (incremental). The answer must match
 * `modelCompactionSchema` as a whole; anything else throws, and the compaction job
 * retries it, then falls back to the deterministic `BaselineCompactor`. Token counts
 * are measured here, never taken from the model. `ai` is loaded on the first call.
 *
 * @example
 * const compactor = new ModelCompactor({ model: openai('gpt-4.1-mini') });
 */
export class ModelCompactor implements Compactor {
  readonly #options: ModelCompactorOptions;

  constructor(options: ModelCompactorOptions) {
    this.#options = options;
  }

  async compact(input: CompactionInput): Promise<CompactionResult> {
    const { generateText, Output } = await import('ai');
    const target = input.targetTokens ?? DEFAULT_TARGET_TOKENS;
    const result = await generateText({
      model: this.#options.model,
      system: this.#options.instructions
        ? `${INSTRUCTIONS}\n\n${this.#options.instructions}`
        : INSTRUCTIONS,
      prompt: formatInput(input, target),
      output: Output.object({ schema: modelCompactionSchema, name: 'compaction' }),
      maxRetries: this.#options.maxRetries ?? 0,
      abortSignal: AbortSignal.timeout(this.#options.timeoutMs ?? 50_000),
    });
    const { current_state: currentState, ...lists } = result.output;
    return {
      ...lists,
      currentState,
      ...compactionTokenCounts(input.previous, input.messages, lists),
    };
  }
}

function formatInput(input: CompactionInput, targetTokens: number): string {
  const previous = input.previous
    ? JSON.stringify({
        summary: input.previous.summary,
        facts: input.previous.facts,
        decisions: input.previous.decisions,
        preferences: input.previous.preferences,
        current_state: input.previous.currentState,
      })
    : 'none';
  const messages = input.messages.map((message) =>
    JSON.stringify({
      role: message.role,
      recorded_at: message.recordedAt.toISOString(),
      content: message.content,
    }),
  );
  return [
    `Token target for the whole compaction: ${targetTokens}.`,
    `Previous compaction: ${previous}`,
    `New messages, oldest first:\n${messages.join('\n')}`,
  ].join('\n\n');
}
