import type { LanguageModel } from 'ai';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { MessageRecord, NewMemory } from '../../store/records.js';
import type { ExtractionInput, Extractor } from './extractor.js';
import { modelAnswerSchema, toNewMemory } from './model-memory.js';

export interface ModelExtractorOptions {
  /** An AI SDK language model (ai@7 `LanguageModel`), e.g. `openai('gpt-4.1-mini')`. */
  model: LanguageModel;
  /** Warnings (once per drop reason, debug after). Default: silent. */
  logger?: Logger;
  /** Longest wait for one model call. Default 30 000 ms. */
  timeoutMs?: number;
  /**
   * Retries inside the AI SDK for one call. Default 0: the job queue already retries a
   * failed extraction with backoff, and two retry loops would multiply the calls.
   */
  maxRetries?: number;
  /** Extra guidance appended to the built-in instructions (a domain, a language). */
  instructions?: string;
}

const INSTRUCTIONS = `You extract long-term memories about the USER from a conversation, for an assistant that will serve them as context later.
Answer JSON: {"memories": [ ... ]}, one item per memory, nothing else. Extract only what the user states or clearly confirms about themselves; never the assistant's suggestions, never questions. An empty list is a fine answer.
Each item:
- memory_type: "facts" (stable facts: name, home city, employer, diet, family), "preferences" (likes, dislikes, habits), "episodes" (things that happened), "emotions" (how the user feels now), "temporal_events" (plans with a date).
- content: one short sentence about the user in the third person without a subject ("Lives in Lisbon", "Prefers aisle seats").
- confidence: 0..1; lower it when the user hedges ("I think", "maybe").
- scope: "conversation" when it holds only for this conversation ("for this trip", "just this once"), "customer" when it is about the user's company account, else "user".
- subject_key: lowercase [a-z0-9_:] naming WHAT the memory is about, the same key every time that subject comes up, so a change replaces the old memory. Conventions: facts "home_city", "employer", "occupation", "name", "diet", "origin"; preferences "preference:<object>" ("preference:seat_position", "preference:sushi"); temporal events "event:<event>" ("event:dentist_appointment", "event:flight_tokyo"); "" when nothing should ever be replaced (episodes, emotions).
- entity: what it is about ("Lisbon", "aisle seats"), or null.
- category (preferences only): travel, food, communication, schedule, shopping, work or general. strength (preferences only): 0..1, 0.9 for love/hate/always/never, 0.6 for like/prefer.
- significance (episodes only): 0..1; participants: people involved (episodes), else [].
- emotion (emotions only): one word ("worried").
- event_date (temporal events only): YYYY-MM-DD, resolved against the message's recorded_at. valid_until: YYYY-MM-DD when the memory stops holding, else null.
- source_message_ids: ids of the user messages that state it.`;

/** Items read from one answer; a model that rambles past this is cut off, and the rest counted as dropped. */
const MAX_ITEMS = 200;
/** Only the envelope is checked as a whole: each item is checked on its own afterwards. */
const envelopeSchema = z.object({ memories: z.array(z.unknown()) });
/** What the model is told to follow: the strict per-item rules, as JSON schema. */
const ANSWER_JSON_SCHEMA = z.toJSONSchema(modelAnswerSchema, {
  io: 'input',
  unrepresentable: 'any',
}) as Parameters<typeof import('ai').jsonSchema>[0];

/**
 * LLM extraction behind the `Extractor` interface: one structured-output call
 * (`generateText` with `Output.object`) per batch of messages. The model sees the JSON
 * schema of `modelAnswerSchema`; its answer is validated item by item, and an invalid
 * item is dropped, counted by reason in `dropped` and logged, while the valid ones are
 * kept. Ownership and provenance come from the messages, never from the model.
 * A failed call (network, provider error, an answer that is not the JSON asked for)
 * throws: the extraction job decides between a retry and the rule-based fallback.
 * `ai` is loaded on the first call, so a server without a model never loads it.
 *
 * @example
 * const extractor = new ModelExtractor({ model: openai('gpt-4.1-mini') });
 */
export class ModelExtractor implements Extractor {
  readonly #options: ModelExtractorOptions;
  readonly #dropped = new Map<string, number>();

  constructor(options: ModelExtractorOptions) {
    this.#options = options;
  }

  /** Items of the model's answers dropped so far, by reason (`<field>: <rule>`). */
  get dropped(): Record<string, number> {
    return Object.fromEntries(this.#dropped);
  }

  async extract(input: ExtractionInput): Promise<NewMemory[]> {
    if (!input.messages.some((message) => message.role === 'user')) return [];
    const { generateText, Output, jsonSchema } = await import('ai');
    const schema = jsonSchema<z.infer<typeof envelopeSchema>>(ANSWER_JSON_SCHEMA, {
      validate: (value) => {
        const parsed = envelopeSchema.safeParse(value);
        return parsed.success
          ? { success: true, value: parsed.data }
          : { success: false, error: new Error(`memories: ${parsed.error.issues[0]?.message}`) };
      },
    });
    const result = await generateText({
      model: this.#options.model,
      system: this.#options.instructions
        ? `${INSTRUCTIONS}\n\n${this.#options.instructions}`
        : INSTRUCTIONS,
      prompt: formatMessages(input.messages),
      output: Output.object({ schema, name: 'memories' }),
      maxRetries: this.#options.maxRetries ?? 0,
      abortSignal: AbortSignal.timeout(this.#options.timeoutMs ?? 30_000),
    });
    const byId = new Map(input.messages.map((message) => [message.id, message]));
    const memories: NewMemory[] = [];
    const items = result.output.memories;
    for (let index = MAX_ITEMS; index < items.length; index++)
      this.#drop(`memories: at most ${MAX_ITEMS} items an answer`);
    for (const item of items.slice(0, MAX_ITEMS)) {
      const memory = toNewMemory(item, byId);
      if ('dropped' in memory) this.#drop(memory.dropped);
      else memories.push(memory);
    }
    return memories;
  }

  #drop(reason: string): void {
    const count = (this.#dropped.get(reason) ?? 0) + 1;
    this.#dropped.set(reason, count);
    const fields = { reason, count };
    if (count === 1) this.#options.logger?.warn(fields, 'model extraction: item dropped');
    else this.#options.logger?.debug(fields, 'model extraction: item dropped');
  }
}

/** The conversation as the model reads it: one JSON object a line, ids and times included. */
function formatMessages(messages: MessageRecord[]): string {
  const lines = messages.map((message) =>
    JSON.stringify({
      id: message.id,
      role: message.role,
      recorded_at: message.recordedAt.toISOString(),
      content: message.content,
    }),
  );
  return `Messages, oldest first:\n${lines.join('\n')}`;
}
