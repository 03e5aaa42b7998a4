import { z } from 'zod';
import { assertNestingDepth, findTooDeep, MAX_NESTING_DEPTH } from '../nesting-depth.js';
import { ServerError } from '../server-error.js';
import { assertStorableText, findUnstorableText } from '../unstorable-text.js';

/**
 * A conversation event as the server works with it, whichever transport brought it
 * (the Listen stream's `ConversationEvent` or the JSON body of `POST /v1/events`).
 * Absent wire values are '' / [] / null, never undefined.
 */
export interface ConversationEventInput {
  /** Any non-empty string: unknown types are recorded but build no bundle. */
  eventType: string;
  /** A UUID, or '' for an event that is about no conversation. */
  conversationId: string;
  userId: string;
  role: string;
  content: string;
  customerId: string;
  sessionId: string;
  metadata: Record<string, string>;
  /** Milliseconds since the epoch as the client saw it; null when not sent. */
  timestampMs: number | null;
  toolName: string;
  /** `tool_args` (HTTP) or the parsed `tool_args_json` (gRPC): always an object or null. */
  toolArgs: Record<string, unknown> | null;
  searchQueries: string[];
  contextTypes: string[];
}

/** Events the anticipator answers with a bundle; they need a user to retrieve for. */
export const RETRIEVAL_EVENT_TYPES: ReadonlySet<string> = new Set([
  'tool_call',
  'user_message',
  'context_request',
]);

export const EVENT_LIMITS = {
  contentBytes: 64 * 1024,
  toolArgsBytes: 64 * 1024,
  searchQueries: 32,
  searchQueryChars: 1024,
  contextTypes: 16,
  metadataEntries: 64,
  metadataKeyChars: 256,
  metadataValueChars: 4096,
  idChars: 256,
} as const;

// The end of year 9999: a JavaScript Date goes further (8.64e15), but PostgreSQL's
// timestamps and ISO 8601's four-digit years do not.
const MAX_DATE_MS = 253_402_300_799_999;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The wire sends '' for an absent proto3 string and the reference client sends
// explicit nulls over HTTP: both read as ''.
const text = (maxChars: number) =>
  z
    .string({ error: 'must be a string' })
    .max(maxChars, { error: `must be at most ${maxChars} characters` })
    .nullish()
    .transform((value) => value ?? '');

const maxBytes = (limit: number) => (value: string) => Buffer.byteLength(value, 'utf8') <= limit;

const stringList = (maxItems: number, maxChars: number) =>
  z
    .array(text(maxChars), { error: 'must be a list of strings' })
    .max(maxItems, { error: `must have at most ${maxItems} items` })
    .nullish()
    .transform((value) => (value ?? []).filter((item) => item.trim() !== ''));

// Metadata is map<string,string> on the wire; over HTTP a number or boolean value is
// read as its text rather than refused.
const metadataSchema = z
  .record(
    z.string().max(EVENT_LIMITS.metadataKeyChars, {
      error: `keys must be at most ${EVENT_LIMITS.metadataKeyChars} characters`,
    }),
    z
      .union([z.string(), z.number(), z.boolean()], {
        error: 'values must be strings',
      })
      .transform(String)
      .refine((value) => value.length <= EVENT_LIMITS.metadataValueChars, {
        error: `values must be at most ${EVENT_LIMITS.metadataValueChars} characters`,
      }),
    { error: 'must be an object of strings' },
  )
  .nullish()
  .transform((value) => value ?? {})
  .refine((value) => Object.keys(value).length <= EVENT_LIMITS.metadataEntries, {
    error: `must have at most ${EVENT_LIMITS.metadataEntries} entries`,
  });

/** The wire (snake_case) shape of one conversation event, both transports. */
export const conversationEventSchema = z.object(
  {
    event_type: z
      .string({
        error: (issue) =>
          issue.input === undefined ? 'is required' : 'must be a non-empty string',
      })
      .trim()
      .min(1, { error: 'must be a non-empty string' })
      .max(64, { error: 'must be at most 64 characters' }),
    conversation_id: text(EVENT_LIMITS.idChars).refine(
      (value) => value === '' || UUID.test(value),
      {
        error: 'must be a UUID',
      },
    ),
    user_id: text(EVENT_LIMITS.idChars),
    role: text(32),
    content: text(EVENT_LIMITS.contentBytes).refine(maxBytes(EVENT_LIMITS.contentBytes), {
      error: `must be at most ${EVENT_LIMITS.contentBytes} bytes`,
    }),
    customer_id: text(EVENT_LIMITS.idChars),
    session_id: text(EVENT_LIMITS.idChars),
    metadata: metadataSchema,
    timestamp_ms: z
      .number({ error: 'must be a number' })
      // An int64 beyond 2^53 reaches here as an unsafe integer (the gRPC decoder keeps
      // it rather than failing the stream): out of range, not a fraction.
      .int({
        error: (issue) =>
          issue.code === 'too_big'
            ? 'must be a date in milliseconds since the epoch'
            : issue.code === 'too_small'
              ? 'must not be negative'
              : 'must be an integer',
      })
      .min(0, { error: 'must not be negative' })
      .max(MAX_DATE_MS, {
        error: 'must be a date in milliseconds since the epoch, before year 10000',
      })
      .nullish()
      .transform((value) => (value ? value : null)),
    tool_name: text(EVENT_LIMITS.idChars),
    tool_args_json: text(EVENT_LIMITS.toolArgsBytes),
    tool_args: z
      .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
      .nullish()
      .transform((value) => value ?? null),
    search_queries: stringList(EVENT_LIMITS.searchQueries, EVENT_LIMITS.searchQueryChars),
    context_types: stringList(EVENT_LIMITS.contextTypes, 64),
  },
  { error: 'must be a JSON object' },
);

/**
 * Validates one event in its wire shape and answers the internal form, or throws an
 * `invalid_input` ServerError whose `field` is the snake_case wire name and whose
 * detail says the rule. B2B clients must name the customer of every user.
 */
export function parseConversationEvent(
  raw: unknown,
  options: { clientMode: 'b2c' | 'b2b' },
): ConversationEventInput {
  const result = conversationEventSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.length ? issue.path.join('.') : 'event';
    throw ServerError.invalid(field, issue?.message ?? 'is invalid');
  }
  const wire = result.data;
  // The gRPC path arrives here without the REST guard; tool_args_json is text.
  assertStorableText(wire);
  const toolArgs = wire.tool_args
    ? checkToolArgsSize(wire.tool_args)
    : parseToolArgs(wire.tool_args_json);
  if (!wire.tool_args && findUnstorableText(toolArgs) !== null) {
    throw ServerError.invalid(
      'tool_args_json',
      'must not contain U+0000 or unpaired UTF-16 surrogates',
    );
  }
  const event: ConversationEventInput = {
    eventType: wire.event_type,
    conversationId: wire.conversation_id.toLowerCase(),
    userId: wire.user_id,
    role: wire.role,
    content: wire.content,
    customerId: wire.customer_id,
    sessionId: wire.session_id,
    metadata: wire.metadata,
    timestampMs: wire.timestamp_ms,
    toolName: wire.tool_name,
    toolArgs,
    searchQueries: wire.search_queries,
    contextTypes: wire.context_types,
  };
  checkScope(event, options.clientMode);
  return event;
}

/** Scope rules of wire.md that depend on the event type and the client's mode. */
function checkScope(event: ConversationEventInput, clientMode: 'b2c' | 'b2b'): void {
  if (RETRIEVAL_EVENT_TYPES.has(event.eventType)) {
    if (event.userId === '') {
      throw ServerError.invalid('user_id', `is required for ${event.eventType} events`);
    }
    if (event.conversationId === '') {
      throw ServerError.invalid('conversation_id', `is required for ${event.eventType} events`);
    }
  }
  if (clientMode === 'b2b' && event.userId !== '' && event.customerId === '') {
    throw ServerError.invalid('customer_id', 'is required with user_id for B2B clients');
  }
}

function checkToolArgsSize(args: Record<string, unknown>): Record<string, unknown> {
  // Before JSON.stringify, which overflows the stack on thousands of levels.
  assertNestingDepth(args, 'tool_args');
  if (!maxBytes(EVENT_LIMITS.toolArgsBytes)(JSON.stringify(args))) {
    throw ServerError.invalid('tool_args', `must be at most ${EVENT_LIMITS.toolArgsBytes} bytes`);
  }
  return args;
}

function parseToolArgs(json: string): Record<string, unknown> | null {
  if (json.trim() === '') return null;
  if (!maxBytes(EVENT_LIMITS.toolArgsBytes)(json)) {
    throw ServerError.invalid(
      'tool_args_json',
      `must be at most ${EVENT_LIMITS.toolArgsBytes} bytes`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    // The parser's message can quote the input; the rule is enough.
    throw ServerError.invalid('tool_args_json', 'must be valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw ServerError.invalid('tool_args_json', 'must be a JSON object');
  }
  if (findTooDeep(parsed) !== null) {
    throw ServerError.invalid(
      'tool_args_json',
      `must be nested at most ${MAX_NESTING_DEPTH} levels deep`,
    );
  }
  return parsed as Record<string, unknown>;
}
