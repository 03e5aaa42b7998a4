import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidConversationIdError, InvalidInputError } from '../../../src/client/errors.js';
import {
  conversationIdSchema,
  ingestSchema,
  recordMessageSchema,
  sendMessageSchema,
  validateInput,
} from '../../../src/client/input-schemas.js';
import type { SendMessageInput } from '../../../src/client/types.js';

const conversationId = randomUUID();

function failure(run: () => unknown): {
  error: unknown;
  name: string;
  field: string;
  message: string;
} {
  try {
    run();
  } catch (error) {
    const { name, field, message } = error as InvalidInputError;
    return { error, name, field: field ?? '', message };
  }
  throw new Error('expected a validation failure');
}

describe('validateInput', () => {
  it('answers the parsed value, unknown keys dropped', () => {
    const value = validateInput(recordMessageSchema, {
      conversationId,
      role: 'user',
      content: 'hi',
      userId: 'alice',
      extra: true,
    });
    expect(value).toEqual({ conversationId, role: 'user', content: 'hi', userId: 'alice' });
  });

  it('names the camelCase field and the rule, with .field set', () => {
    const cases: [unknown, string, string][] = [
      [
        { conversationId, role: 'user', content: 5, userId: 'u' },
        'content',
        'content: must be a string',
      ],
      [{ conversationId, role: 'user', userId: 'u' }, 'content', 'content: is required'],
      [
        { conversationId, role: 'user', content: 'x', userId: 'u\n' },
        'userId',
        'userId: must not contain "/" or control characters',
      ],
      [
        { conversationId, role: 'user', content: 'x', userId: 'x'.repeat(257) },
        'userId',
        'userId: must be at most 256 characters',
      ],
      [
        { conversationId, role: 'user', content: 'x', userId: 'u', metadata: new Date() },
        'metadata',
        'metadata: must be a plain object',
      ],
      [
        { conversationId, role: 'user', content: 'x', userId: 'u', idempotencyKey: '' },
        'idempotencyKey',
        'idempotencyKey: must not be empty',
      ],
      [
        { conversationId, role: 'user', content: 'x', userId: 'u', metadata: { n: 1n } },
        'metadata',
        'metadata: must be serializable as JSON',
      ],
      [null, 'input', 'input: must be an object'],
    ];
    for (const [value, field, message] of cases) {
      const result = failure(() => validateInput(recordMessageSchema, value));
      expect(result.error).toBeInstanceOf(InvalidInputError);
      expect(result).toMatchObject({ field, message });
    }
  });

  it('throws InvalidConversationIdError for a conversation id, bare or nested', () => {
    for (const run of [
      () => validateInput(conversationIdSchema, 'abc', 'conversationId'),
      () =>
        validateInput(recordMessageSchema, {
          conversationId: 42,
          role: 'user',
          content: 'x',
          userId: 'u',
        }),
    ]) {
      const result = failure(run);
      expect(result.error).toBeInstanceOf(InvalidConversationIdError);
      expect(result.field).toBe('conversationId');
    }
    expect(
      validateInput(conversationIdSchema, conversationId.toUpperCase(), 'conversationId'),
    ).toBe(conversationId.toUpperCase());
  });

  it('accepts any conversation id for ingest, and names a bad transcript precisely', () => {
    const base = { conversationId: 'call 2026-05-01 +351', userId: 'alice' };
    expect(validateInput(ingestSchema, { ...base, transcript: 'user: hi' }).conversationId).toBe(
      base.conversationId,
    );
    expect(failure(() => validateInput(ingestSchema, { ...base, transcript: 7 }))).toMatchObject({
      field: 'transcript',
      message: 'transcript: must be a string or a list',
    });
    expect(failure(() => validateInput(ingestSchema, { ...base, transcript: [] }))).toMatchObject({
      field: 'transcript',
      message: 'transcript: must not be empty',
    });
    expect(
      failure(() =>
        validateInput(ingestSchema, {
          ...base,
          transcript: [{ role: 'user', content: 'x', timestamp: 'soon' }],
        }),
      ),
    ).toMatchObject({ field: 'transcript[0].timestamp' });
  });
});

describe('sendMessageSchema', () => {
  const event: SendMessageInput = {
    eventType: 'tool_call',
    conversationId,
    userId: 'alice',
    toolName: 'book_flight',
    toolArgs: { destination: 'Lisbon', passengers: 2 },
    metadata: { channel: 'web' },
    searchQueries: ['flights to Lisbon'],
    contextTypes: ['preferences'],
  };

  it('accepts a valid event as a SendMessageInput', () => {
    const parsed: SendMessageInput = validateInput(sendMessageSchema, event);
    expect(parsed).toEqual(event);
  });

  it.each<[Partial<Record<keyof SendMessageInput, unknown>>, string, string]>([
    [{ eventType: 'context_fetch' }, 'eventType', 'eventType: must be one of "user_message"'],
    [{ userId: '' }, 'userId', 'userId: must not be empty'],
    [{ toolArgs: ['Lisbon'] }, 'toolArgs', 'toolArgs: must be a plain object'],
    [{ toolArgs: new Map() }, 'toolArgs', 'toolArgs: must be a plain object'],
    [
      { toolArgs: { blob: 'x'.repeat(64 * 1024) } },
      'toolArgs',
      'toolArgs: must be at most 65536 bytes as JSON',
    ],
    [{ toolArgs: { big: 1n } }, 'toolArgs', 'toolArgs: must be serializable as JSON'],
    [
      { searchQueries: Array(33).fill('q') },
      'searchQueries',
      'searchQueries: must be at most 32 items',
    ],
    [{ metadata: { n: 1 } }, 'metadata.n', 'metadata.n: must be a string'],
    [
      { metadata: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v'])) },
      'metadata',
      'metadata: must have at most 64 entries',
    ],
    [{ contextTypes: ['temporal'] }, 'contextTypes[0]', 'contextTypes[0]: must be one of'],
  ])('refuses bad input (case %#)', (change, field, message) => {
    const result = failure(() => validateInput(sendMessageSchema, { ...event, ...change }));
    expect(result.error).toBeInstanceOf(InvalidInputError);
    expect(result.field).toBe(field);
    expect(result.message).toContain(message);
  });

  it('refuses a conversation id that is not a UUID with InvalidConversationIdError', () => {
    const result = failure(() =>
      validateInput(sendMessageSchema, { ...event, conversationId: 'thread-1' }),
    );
    expect(result.error).toBeInstanceOf(InvalidConversationIdError);
    expect(result.message).toBe('conversationId: must be a UUID');
  });
});
