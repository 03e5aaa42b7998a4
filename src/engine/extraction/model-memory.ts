import { z } from 'zod';
import { MEMORY_TYPES, type MessageRecord, type NewMemory } from '../../store/records.js';
import { EMOTION_TTL_MS } from './emotion-rule.js';
import { PREFERENCE_CATEGORIES } from './preference-category.js';

const DAY_MS = 86_400_000;
/** `2026-12-03` or a full ISO timestamp; anything else is refused, never guessed at. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/, {
    message: 'must be an ISO date (YYYY-MM-DD) or timestamp',
  })
  .refine((text) => !Number.isNaN(Date.parse(text)), { message: 'must be a real calendar date' });
const unit = z.number().min(0).max(1);

/**
 * One memory as the model must answer it (snake_case JSON). Every field is checked:
 * an item that breaks a rule is dropped on its own, with the rule as the reason, and
 * the rest of the answer is kept.
 */
export const modelMemorySchema = z
  .object({
    memory_type: z.enum(MEMORY_TYPES),
    content: z.string().trim().min(1).max(500),
    confidence: unit,
    scope: z.enum(['conversation', 'user', 'customer']),
    subject_key: z
      .string()
      .max(120)
      .regex(/^[a-z0-9_:]*$/, { message: 'must be lowercase letters, digits, "_" and ":"' }),
    entity: z.string().max(200).nullish(),
    category: z.enum(PREFERENCE_CATEGORIES).nullish(),
    strength: unit.nullish(),
    significance: unit.nullish(),
    participants: z.array(z.string().min(1).max(100)).max(20).nullish(),
    emotion: z.string().min(1).max(40).nullish(),
    event_date: isoDate.nullish(),
    valid_until: isoDate.nullish(),
    source_message_ids: z.array(z.string().min(1)).min(1).max(50),
  })
  .strict()
  .superRefine((item, context) => {
    const need = (field: keyof typeof item, rule: string) => {
      if (item[field] === null || item[field] === undefined)
        context.addIssue({ code: 'custom', path: [field], message: rule });
    };
    if (item.memory_type === 'preferences') {
      need('category', 'is required for preferences');
      need('strength', 'is required for preferences');
    }
    if (item.memory_type === 'temporal_events')
      need('event_date', 'is required for temporal events');
    if (item.memory_type === 'emotions') need('emotion', 'is required for emotions');
  });

export type ModelMemory = z.infer<typeof modelMemorySchema>;

/** The whole answer: a list of memories, each checked on its own (see `toNewMemory`). */
export const modelAnswerSchema = z.object({ memories: z.array(modelMemorySchema) });

/** Why an item of the model's answer was dropped: `<field>: <rule>`. */
export type DropReason = string;

/**
 * Checks one item of the model's answer and turns it into the memory the rule-based
 * extractor would have written: the owner and the conversation come from the source
 * messages (never from the model), the temporal category from the type, and the
 * expiry defaults to the rules' (an event ends the day after, an emotion in 3 days).
 * Answers the reason instead when the item breaks a rule.
 */
export function toNewMemory(
  value: unknown,
  messages: ReadonlyMap<string, MessageRecord>,
): NewMemory | { dropped: DropReason } {
  const parsed = modelMemorySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'item';
    return { dropped: `${field}: ${issue?.message ?? 'invalid'}` };
  }
  const item = parsed.data;
  const stray = item.source_message_ids.find((id) => !messages.has(id));
  if (stray !== undefined)
    return { dropped: 'source_message_ids: must name messages of the extracted range' };
  const sources = item.source_message_ids.map((id) => messages.get(id) as MessageRecord);
  const source = sources.find((message) => message.role === 'user');
  if (!source) return { dropped: 'source_message_ids: must include a user turn' };
  if (item.scope === 'customer' && source.customerId === '')
    return { dropped: 'scope: customer needs a message with a customer_id' };

  const recordedAt = source.recordedAt.getTime();
  const eventDate = item.event_date ? new Date(item.event_date) : null;
  let validUntil = item.valid_until ? new Date(item.valid_until) : null;
  if (!validUntil && item.memory_type === 'temporal_events' && eventDate)
    validUntil = new Date(eventDate.getTime() + DAY_MS);
  if (!validUntil && item.memory_type === 'emotions')
    validUntil = new Date(recordedAt + EMOTION_TTL_MS);
  if (validUntil && validUntil.getTime() <= recordedAt)
    return { dropped: 'valid_until: must be after the message was recorded' };

  return {
    scope: item.scope,
    // A customer memory belongs to the account, so any of its users may supersede it.
    userId: item.scope === 'customer' ? '' : source.userId,
    customerId: source.customerId,
    conversationId: item.scope === 'conversation' ? source.conversationId : null,
    memoryType: item.memory_type,
    content: item.content,
    entityId: item.entity ?? '',
    subjectKey: item.subject_key,
    confidence: item.confidence,
    category: item.memory_type === 'preferences' ? (item.category ?? null) : null,
    strength: item.memory_type === 'preferences' ? (item.strength ?? null) : null,
    significance: item.memory_type === 'episodes' ? (item.significance ?? null) : null,
    participants: item.participants ?? [],
    eventDate,
    validUntil,
    temporalCategory: temporalCategoryOf(item.memory_type),
    sourceMessageIds: [...new Set(item.source_message_ids)],
    metadata: {
      extractor: 'model',
      ...(item.memory_type === 'emotions' && item.emotion ? { emotion: item.emotion } : {}),
    },
  };
}

function temporalCategoryOf(type: NewMemory['memoryType']): NewMemory['temporalCategory'] {
  if (type === 'episodes') return 'episode';
  if (type === 'temporal_events' || type === 'emotions') return 'temporal_fact';
  return 'perpetual';
}
