import { z } from 'zod';
import { MEMORY_TYPES } from '../protocol/memory-types.js';
import { InvalidConversationIdError, InvalidInputError } from './errors.js';
import type {
  CompactInput,
  ContextUsedInput,
  EventType,
  FetchInput,
  IngestInput,
  RecordMessageInput,
  SendMessageInput,
} from './types.js';

/**
 * Schemas of every public input, checked before anything is sent, so a bad argument
 * fails at once and names the field (`conversationId: must be a UUID`). The limits
 * are the server's own (src/server/rest/wire-schemas.ts), so what passes here is
 * not refused there for its shape.
 */

/** Longest message content, in UTF-16 code units (the server's limit, 256 Ki). */
export const MAX_CONTENT_CHARS = 256 * 1024;
/** Most messages in one `recordMessages` call. */
export const MAX_BATCH_MESSAGES = 500;
/** Largest `toolArgs` of an event, UTF-8 bytes of its JSON. */
export const MAX_TOOL_ARGS_BYTES = 64 * 1024;

/** Any UUID spelling; the server stores it in lower case. */
export const conversationIdSchema = z.uuid();

/** Opaque ids (users, customers, sessions, idempotency keys): they end up in paths. */
const id = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^/\p{Cc}]+$/u, 'must not contain "/" or control characters');
const role = z.enum(['user', 'assistant']);
const content = z.string().min(1).max(MAX_CONTENT_CHARS);
/** A plain object (`{...}`): not an array, a Date, a Map or a class instance. */
const plainObject = z.record(z.string(), z.unknown());
/** A plain object that JSON can carry (no cycles, no BigInts). */
const jsonObject = plainObject.superRefine((value, context) => {
  if (jsonBytes(value) === undefined)
    context.addIssue({ code: 'custom', message: 'must be serializable as JSON' });
});
const memoryType = z.enum(MEMORY_TYPES);
const searchQuery = z.string().max(2000);

export const recordMessageSchema = z.object({
  conversationId: conversationIdSchema,
  role,
  content,
  userId: id,
  customerId: id.optional(),
  sessionId: id.optional(),
  metadata: jsonObject.optional(),
  idempotencyKey: id.optional(),
}) satisfies z.ZodType<RecordMessageInput>;

export const recordMessagesSchema = z
  .array(recordMessageSchema)
  .min(1)
  .max(MAX_BATCH_MESSAGES) satisfies z.ZodType<RecordMessageInput[]>;

export const ingestSchema = z.object({
  // Any caller id (a call id, a phone number and date): the server maps it to a UUID.
  conversationId: z.string().min(1).max(256),
  userId: id,
  customerId: id.optional(),
  sessionId: id.optional(),
  transcript: z.union([
    z
      .string()
      .min(1)
      .max(4 * 1024 * 1024),
    z
      .array(
        z.object({
          role,
          content,
          timestamp: z.union([z.date(), z.iso.datetime({ offset: true, local: true })]).optional(),
        }),
      )
      .min(1)
      .max(5000),
  ]),
  metadata: jsonObject.optional(),
}) satisfies z.ZodType<IngestInput>;

const SCOPE_ID = {
  conversation: 'conversationId',
  user: 'userId',
  customer: 'customerId',
} as const;

export const fetchSchema = z
  .object({
    scope: z.enum(['conversation', 'user', 'customer', 'client']),
    conversationId: conversationIdSchema.optional(),
    userId: id.optional(),
    customerId: id.optional(),
    searchQuery: z.union([searchQuery, z.array(searchQuery).max(32)]).optional(),
    maxResults: z.number().int().min(1).max(200).optional(),
    types: z.array(memoryType).max(8).optional(),
    mode: z.enum(['fast', 'accurate']).optional(),
  })
  .superRefine((input, context) => {
    if (input.scope === 'client') return;
    const field = SCOPE_ID[input.scope];
    if (input[field] === undefined)
      context.addIssue({
        code: 'custom',
        path: [field],
        message: `is required for the ${input.scope} scope`,
      });
  }) satisfies z.ZodType<FetchInput>;

export const compactSchema = z.object({
  conversationId: conversationIdSchema,
  strategy: z
    .enum(['adaptive', 'low', 'medium', 'high', 'aggressive', 'balanced', 'conservative'])
    .optional(),
  targetTokens: z.number().int().min(50).max(100_000).optional(),
  force: z.boolean().optional(),
}) satisfies z.ZodType<CompactInput>;

// A mapped type, so adding an EventType without listing it here fails to compile.
const EVENT_TYPES: { [K in EventType]: K } = {
  user_message: 'user_message',
  assistant_message: 'assistant_message',
  tool_call: 'tool_call',
  tool_result: 'tool_result',
  context_request: 'context_request',
  session_start: 'session_start',
  session_end: 'session_end',
  agent_thinking: 'agent_thinking',
};

/** A conversation event for `instance.sendMessage`. */
export const sendMessageSchema = z.object({
  eventType: z.enum(EVENT_TYPES),
  conversationId: conversationIdSchema,
  userId: id,
  customerId: id.optional(),
  sessionId: id.optional(),
  content: z.string().max(MAX_CONTENT_CHARS).optional(),
  role: role.optional(),
  metadata: z
    .record(z.string(), z.string())
    .refine((value) => Object.keys(value).length <= 64, 'must have at most 64 entries')
    .optional(),
  toolName: z.string().min(1).max(256).optional(),
  toolArgs: plainObject
    .superRefine((value, context) => {
      const bytes = jsonBytes(value);
      if (bytes === undefined)
        context.addIssue({ code: 'custom', message: 'must be serializable as JSON' });
      else if (bytes > MAX_TOOL_ARGS_BYTES)
        context.addIssue({
          code: 'custom',
          message: `must be at most ${MAX_TOOL_ARGS_BYTES} bytes as JSON (got ${bytes})`,
        });
    })
    .optional(),
  searchQueries: z.array(searchQuery).max(32).optional(),
  contextTypes: z.array(memoryType).optional(),
}) satisfies z.ZodType<SendMessageInput>;

/** What `instance.reportContextUsed` takes. */
export const contextUsedSchema = z.object({
  bundleId: id,
  conversationId: z.string().max(256).optional(),
  userId: id,
  customerId: id.optional(),
  itemIds: z.array(id).min(1).max(64),
}) satisfies z.ZodType<ContextUsedInput>;

/**
 * Checks `value` against `schema` and answers the parsed value (unknown keys dropped).
 * Throws `InvalidInputError`, or `InvalidConversationIdError` for a conversation id,
 * whose message is `<field>: <rule>` with the camelCase field path (`[2].content`,
 * `transcript[0].role`) and whose `field` is that path. `name` names a bare value
 * (`validateInput(conversationIdSchema, id, 'conversationId')`).
 */
export function validateInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  name = '',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const { path, rule } = issue ? describeIssue(issue, [], value) : { path: [], rule: 'is invalid' };
  const field = formatPath(name, path) || 'input';
  const options = { message: `${field}: ${rule}`, field, cause: result.error };
  const last = [name, ...path].filter((segment) => typeof segment === 'string' && segment).at(-1);
  throw last === 'conversationId'
    ? new InvalidConversationIdError(options)
    : new InvalidInputError(options);
}

type Segment = PropertyKey;

/**
 * The issue's full path (under `prefix`, for issues inside a union) and the rule broken.
 * `root` is the validated value: zod leaves the input out of its issues (so that no
 * content ends up in an error's cause), and "missing" is told from "wrong type" by it.
 */
function describeIssue(
  issue: z.core.$ZodIssue,
  prefix: Segment[],
  root: unknown,
): { path: Segment[]; rule: string } {
  const path = [...prefix, ...issue.path];
  switch (issue.code) {
    case 'invalid_type':
      if (valueAt(root, path) === undefined) return { path, rule: 'is required' };
      return { path, rule: `must be ${article(issue.expected)}` };
    case 'too_small':
      if (Number(issue.minimum) === 1 && (issue.origin === 'string' || issue.origin === 'array'))
        return { path, rule: 'must not be empty' };
      return { path, rule: `must be at least ${issue.minimum}${unitOf(issue.origin)}` };
    case 'too_big':
      return {
        path,
        rule: `must be at most ${issue.maximum}${unitOf(issue.origin)}`,
      };
    case 'invalid_value':
      return {
        path,
        rule: `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`,
      };
    case 'invalid_format':
      if (issue.format === 'uuid') return { path, rule: 'must be a UUID' };
      if (issue.format === 'datetime') return { path, rule: 'must be an ISO 8601 date-time' };
      return { path, rule: issue.message };
    case 'invalid_union': {
      // Report the branch that got furthest; if every branch failed on the type, list the types.
      const branches = issue.errors
        .map((issues) => issues[0])
        .filter((first) => first !== undefined);
      const deeper = branches.find(
        (first) => first.code !== 'invalid_type' || first.path.length > 0,
      );
      if (deeper) return describeIssue(deeper, path, root);
      const expected = branches.flatMap((first) =>
        first.code === 'invalid_type' ? [article(first.expected)] : [],
      );
      return { path, rule: `must be ${expected.join(' or ')}` };
    }
    default:
      return { path, rule: issue.message };
  }
}

function article(expected: string): string {
  if (expected === 'record') return 'a plain object';
  if (expected === 'int') return 'an integer';
  if (expected === 'array') return 'a list';
  if (expected === 'date') return 'a valid Date';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function unitOf(origin: string): string {
  if (origin === 'string') return ' characters';
  if (origin === 'array') return ' items';
  return '';
}

function formatPath(name: string, path: Segment[]): string {
  let text = name;
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text;
}

function valueAt(root: unknown, path: Segment[]): unknown {
  let value = root;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function jsonBytes(value: unknown): number | undefined {
  try {
    return new TextEncoder().encode(JSON.stringify(value)).length;
  } catch {
    // Cycles and BigInts cannot be sent; the caller reports it as a rule broken.
    return undefined;
  }
}
