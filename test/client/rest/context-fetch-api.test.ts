import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchContext } from '../../../src/client/context-fetch-api.js';
import { ConversationApi } from '../../../src/client/conversation-api.js';
import {
  ContextNotFoundError,
  InvalidConversationIdError,
  InvalidInputError,
} from '../../../src/client/errors.js';
import { HttpClient } from '../../../src/client/http-client.js';
import type { FetchInput, FetchResult } from '../../../src/client/types.js';
import { memory } from '../../support/memories.js';
import { daysFromNow } from '../../support/relative-dates.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { rejection } from './rejection.js';

describe('fetchContext', () => {
  let t: TestServer;
  let http: HttpClient;
  const conversationId = randomUUID();
  // The appointment is still ahead whenever the suite runs: reads filter out expired events.
  const appointmentAt = daysFromNow(30);
  const contents = (result: FetchResult) =>
    Object.values(result.context).flatMap((items) => items.map((item) => item.content));

  beforeAll(async () => {
    t = await startTestServer('pglite');
    http = new HttpClient({ baseUrl: t.server.restUrl, apiKey: t.tenant.key, timeoutMs: 5000 });
    await new ConversationApi(http).recordMessage({
      conversationId,
      role: 'user',
      content: 'Book me a flight to Lisbon',
      userId: 'alice',
    });
    await t.server.store.insertMemories(t.tenant.clientId, [
      memory({
        content: 'Alice always flies aisle seats',
        memoryType: 'preferences',
        category: 'travel',
        strength: 0.8,
      }),
      memory({ content: 'Alice lives in Porto' }),
      memory({
        content: 'Alice flew to Lisbon in March',
        memoryType: 'episodes',
        significance: 0.7,
        participants: ['alice'],
        eventDate: new Date('2026-03-10T09:00:00Z'),
      }),
      memory({
        content: 'Alice has a dentist appointment',
        memoryType: 'temporal_events',
        eventDate: appointmentAt,
        validUntil: daysFromNow(31),
        temporalCategory: 'temporal_fact',
      }),
      memory({ content: 'Bob prefers window seats', userId: 'bob', memoryType: 'preferences' }),
      memory({
        content: 'This trip is for a conference',
        scope: 'conversation',
        conversationId,
      }),
      memory({
        content: 'Acme books business class',
        scope: 'customer',
        userId: '',
        customerId: 'acme',
      }),
      memory({ content: 'Company policy: economy only', scope: 'client', userId: '' }),
    ]);
  });
  afterAll(() => t?.close());

  it('fetches the user scope with typed items of every kind', async () => {
    const result = await fetchContext(http, { scope: 'user', userId: 'alice' });
    expect(contents(result)).toEqual(
      expect.arrayContaining([
        'Alice always flies aisle seats',
        'Alice lives in Porto',
        'Alice flew to Lisbon in March',
        'Alice has a dentist appointment',
      ]),
    );
    expect(contents(result)).not.toContain('Bob prefers window seats');
    expect(Object.keys(result.context).sort()).toEqual([
      'emotions',
      'episodes',
      'facts',
      'preferences',
      'temporal_events',
    ]);
    expect(result.ttlSeconds).toBeGreaterThan(0);
    expect(result.conversationContext).toBeUndefined();

    const [preference] = result.context.preferences;
    expect(preference).toMatchObject({ category: 'travel', strength: 0.8, confidence: 0.9 });
    expect(preference?.extractedAt).toBeInstanceOf(Date);
    const [episode] = result.context.episodes;
    expect(episode).toMatchObject({ significance: 0.7, participants: ['alice'] });
    expect(episode?.occurredAt?.toISOString()).toBe('2026-03-10T09:00:00.000Z');
    const [event] = result.context.temporal_events;
    expect(event?.eventDate?.toISOString()).toBe(appointmentAt.toISOString());
    expect(event?.validUntil).toBeInstanceOf(Date);
    expect(event?.temporalCategory).toBe('temporal_fact');
  });

  it('fetches the conversation scope with its conversation context', async () => {
    const result = await fetchContext(http, {
      scope: 'conversation',
      conversationId,
      searchQuery: 'conference',
      maxResults: 5,
    });
    expect(contents(result)).toContain('This trip is for a conference');
    expect(result.conversationContext?.recentTurns).toEqual([
      { role: 'user', content: 'Book me a flight to Lisbon', timestamp: expect.any(Date) },
    ]);
    expect(result.conversationContext?.currentState).toEqual({});
  });

  it('fetches the customer and client scopes', async () => {
    const customer = await fetchContext(http, { scope: 'customer', customerId: 'acme' });
    expect(contents(customer)).toContain('Acme books business class');
    expect(contents(customer)).not.toContain('Alice lives in Porto');
    const client = await fetchContext(http, { scope: 'client', types: ['facts'] });
    expect(contents(client)).toContain('Company policy: economy only');
    expect(client.context.preferences).toEqual([]);
  });

  it('never shows one tenant the memories of another', async () => {
    const other = new HttpClient({
      baseUrl: t.server.restUrl,
      apiKey: t.other.key,
      timeoutMs: 5000,
    });
    expect(contents(await fetchContext(other, { scope: 'user', userId: 'alice' }))).toEqual([]);
    await expect(
      fetchContext(other, { scope: 'conversation', conversationId }),
    ).rejects.toBeInstanceOf(ContextNotFoundError);
  });

  it.each<[FetchInput, string, string]>([
    [
      { scope: 'conversation' },
      'conversationId',
      'conversationId: is required for the conversation scope',
    ],
    [{ scope: 'user' }, 'userId', 'userId: is required for the user scope'],
    [
      { scope: 'customer', userId: 'alice' },
      'customerId',
      'customerId: is required for the customer scope',
    ],
    [{ scope: 'team' as 'user', userId: 'alice' }, 'scope', 'scope: must be one of'],
    [
      { scope: 'user', userId: 'alice', maxResults: 0 },
      'maxResults',
      'maxResults: must be at least 1',
    ],
    [
      { scope: 'user', userId: 'alice', maxResults: 201 },
      'maxResults',
      'maxResults: must be at most 200',
    ],
    [
      { scope: 'user', userId: 'alice', maxResults: 2.5 },
      'maxResults',
      'maxResults: must be an integer',
    ],
    [
      { scope: 'user', userId: 'alice', types: ['facts', 'secrets' as 'facts'] },
      'types[1]',
      'types[1]: must be one of',
    ],
    [
      { scope: 'user', userId: 'alice', searchQuery: Array(33).fill('q') },
      'searchQuery',
      'searchQuery: must be at most 32 items',
    ],
  ])('refuses %j before sending (%s)', async (input, field, message) => {
    const before = await t.server.metrics.registry.getSingleMetricAsString(
      'foresight_http_requests_total',
    );
    const error = await rejection(fetchContext(http, input));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
    expect(
      await t.server.metrics.registry.getSingleMetricAsString('foresight_http_requests_total'),
    ).toBe(before);
  });

  it('refuses a conversation id that is not a UUID with InvalidConversationIdError', async () => {
    await expect(
      fetchContext(http, { scope: 'conversation', conversationId: 'thread-7' }),
    ).rejects.toBeInstanceOf(InvalidConversationIdError);
  });
});
