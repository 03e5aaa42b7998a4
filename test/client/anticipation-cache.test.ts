import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  AnticipationCache,
  type AnticipationCacheOptions,
  estimateBundleBytes,
  MAX_BUNDLES_PER_CONVERSATION,
  resolveCacheOptions,
} from '../../src/client/anticipation-cache.js';
import { InvalidInputError } from '../../src/client/errors.js';
import { MAX_PENDING_EVENTS, MAX_WAITERS } from '../../src/client/event-answers.js';
import type { WaitForResult } from '../../src/client/types.js';
import type { ContextBundle } from '../../src/protocol/context-bundle.js';

let counter = 0;

function bundle(overrides: Partial<ContextBundle> = {}): ContextBundle {
  counter++;
  return {
    bundleId: `b-${counter}`,
    decisionId: `d-${counter}`,
    itemsByType: {
      facts: [
        {
          itemId: `m-${counter}`,
          content: 'Lives in Lisbon and works as a nurse.',
          contextType: 'facts',
          source: 'memories',
          similarityScore: 0.5,
          relevanceScore: 0.75,
          confidence: 0.9,
          scope: 'user',
          entityId: '',
          createdAt: '2026-01-01T00:00:00.000Z',
          temporalCategory: 'perpetual',
          temporalConfidence: 0.9,
        },
      ],
    },
    totalTokens: 10,
    tokenBudget: 2000,
    budgetExceeded: false,
    retrievalMode: 'fast',
    sourcesQueried: ['memories'],
    degradationLevel: 'none',
    warnings: [],
    createdAt: '2026-01-02T00:00:00.000Z',
    retrievalTimeMs: 3,
    cacheHit: false,
    searchQueries: [],
    anticipationUserId: 'user-1',
    anticipationCustomerId: '',
    anticipationConversationId: 'conv-1',
    searchKeywords: [],
    bundleType: 'anticipation',
    bundleConfidence: 0.6,
    ttlHintSeconds: 0,
    ...overrides,
  };
}

/** A cache on a clock the test moves by hand. */
function setup(options: AnticipationCacheOptions = {}) {
  const clock = { now: 1_000_000 };
  const cache = new AnticipationCache({ now: () => clock.now, ...options });
  return { cache, clock };
}

/** Whether the promise has settled, after letting pending callbacks run. */
async function isSettled(promise: Promise<WaitForResult>): Promise<boolean> {
  let settled = false;
  void promise.then(() => {
    settled = true;
  });
  await nextTurn();
  return settled;
}

const LONG_MS = 60_000;

describe('AnticipationCache put/peek', () => {
  it('serves the bundle stored under a conversation to its user, with its times', () => {
    const { cache, clock } = setup();
    const stored = bundle({ ttlHintSeconds: 60 });
    cache.put(stored);
    const cached = cache.peek({ conversationId: 'conv-1', userId: 'user-1' });
    expect(cached).toMatchObject({
      bundle: stored,
      receivedAt: clock.now,
      expiresAt: clock.now + 60_000,
    });
    expect(cached?.inReplyToEventId).toBeUndefined();
    expect(cache.peek({ conversationId: 'conv-2', userId: 'user-1' })).toBeUndefined();
    expect(cache.stats()).toMatchObject({ conversations: 1, bundles: 1, hits: 1, misses: 1 });
  });

  it('serves the most recently received bundle and keeps a few per conversation', () => {
    const { cache } = setup();
    const bundles = Array.from({ length: MAX_BUNDLES_PER_CONVERSATION + 1 }, () => bundle());
    for (const each of bundles) cache.put(each);
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-1' })?.bundle).toBe(bundles.at(-1));
    expect(cache.stats()).toMatchObject({ bundles: MAX_BUNDLES_PER_CONVERSATION, evictions: 1 });
  });

  it('replaces a bundle delivered twice instead of keeping two copies', () => {
    const { cache } = setup();
    const first = bundle();
    cache.put(first);
    cache.put(bundle());
    cache.put({ ...first });
    expect(cache.stats().bundles).toBe(2);
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-1' })?.bundle.bundleId).toBe(
      first.bundleId,
    );
  });

  it("falls back to the user's own bundle (conversation '') when the conversation has none", () => {
    const { cache } = setup();
    const summary = bundle({ anticipationConversationId: '', bundleType: 'user_summary' });
    cache.put(summary);
    expect(cache.stats()).toMatchObject({ conversations: 0, users: 1 });
    expect(cache.peek({ conversationId: 'conv-9', userId: 'user-1' })?.bundle).toBe(summary);
    const specific = bundle({ anticipationConversationId: 'conv-9' });
    cache.put(specific);
    expect(cache.peek({ conversationId: 'conv-9', userId: 'user-1' })?.bundle).toBe(specific);
  });

  it('never serves a bundle addressed to another user', () => {
    const { cache } = setup();
    cache.put(bundle({ anticipationUserId: 'user-1' }));
    cache.put(bundle({ anticipationConversationId: '', anticipationUserId: 'user-1' }));
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-2' })).toBeUndefined();
    expect(cache.peek({ conversationId: 'conv-2', userId: 'user-2' })).toBeUndefined();
    expect(cache.peek({ conversationId: 'conv-1' })).toBeUndefined();
  });

  it('never serves a bundle addressed to another customer', () => {
    const { cache } = setup();
    cache.put(bundle({ anticipationCustomerId: 'acme' }));
    const key = { conversationId: 'conv-1', userId: 'user-1' };
    expect(cache.peek(key)).toBeUndefined();
    expect(cache.peek({ ...key, customerId: 'other' })).toBeUndefined();
    expect(cache.peek({ ...key, customerId: 'acme' })).toBeDefined();
  });

  it("serves an older bundle for any user ('') when the newer one is for someone else", () => {
    const { cache } = setup();
    const shared = bundle({ anticipationUserId: '' });
    cache.put(shared);
    cache.put(bundle({ anticipationUserId: 'user-1' }));
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-2' })?.bundle).toBe(shared);
    expect(cache.peek({ conversationId: 'conv-1' })?.bundle).toBe(shared);
  });

  it('does not store reactive bundles, nor bundles naming neither conversation nor user', () => {
    const { cache } = setup();
    cache.put(bundle({ bundleType: 'reactive' }));
    cache.put(bundle({ anticipationConversationId: '', anticipationUserId: '' }));
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-1' })).toBeUndefined();
    expect(cache.stats()).toMatchObject({ conversations: 0, bundles: 0, bytes: 0 });
  });
});

describe('AnticipationCache expiry', () => {
  it('keeps a bundle for defaultTtlMs when the service gives no hint', () => {
    const { cache, clock } = setup({ defaultTtlMs: 10_000 });
    cache.put(bundle({ ttlHintSeconds: 0 }));
    clock.now += 9_999;
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-1' })).toBeDefined();
    clock.now += 1;
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-1' })).toBeUndefined();
    expect(cache.stats()).toMatchObject({ expired: 1, bundles: 0, conversations: 0, bytes: 0 });
  });

  it('raises a TTL hint below minTtlMs to the floor', () => {
    const { cache, clock } = setup({ minTtlMs: 5_000 });
    cache.put(bundle({ ttlHintSeconds: 1 }));
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-1' })?.expiresAt).toBe(
      clock.now + 5_000,
    );
    clock.now += 4_999;
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-1' })).toBeDefined();
  });

  it('drops an expired newer bundle and serves the older one still alive', () => {
    const { cache, clock } = setup();
    const older = bundle({ ttlHintSeconds: 600 });
    cache.put(older);
    cache.put(bundle({ ttlHintSeconds: 10 }));
    clock.now += 10_000;
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-1' })?.bundle).toBe(older);
    expect(cache.stats()).toMatchObject({ expired: 1, bundles: 1 });
  });
});

describe('AnticipationCache bounds', () => {
  it('evicts the least recently used conversation past maxConversations', () => {
    const { cache } = setup({ maxConversations: 2 });
    cache.put(bundle({ anticipationConversationId: 'conv-1' }));
    cache.put(bundle({ anticipationConversationId: 'conv-2' }));
    cache.peek({ conversationId: 'conv-1', userId: 'user-1' });
    cache.put(bundle({ anticipationConversationId: 'conv-3' }));
    expect(cache.peek({ conversationId: 'conv-2', userId: 'user-1' })).toBeUndefined();
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-1' })).toBeDefined();
    expect(cache.stats()).toMatchObject({ conversations: 2, bundles: 2, evictions: 1 });
  });

  it('evicts the least recently used conversations past maxBytes', () => {
    const size = estimateBundleBytes(bundle());
    const { cache } = setup({ maxBytes: size * 2 + size / 2 });
    for (const conversationId of ['conv-1', 'conv-2', 'conv-3']) {
      cache.put(bundle({ anticipationConversationId: conversationId }));
    }
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-1' })).toBeUndefined();
    expect(cache.stats()).toMatchObject({ conversations: 2, evictions: 1, bytes: size * 2 });
  });

  it('refuses a bundle larger than maxBytes on its own, keeping the others', () => {
    const size = estimateBundleBytes(bundle());
    const { cache } = setup({ maxBytes: size * 2 });
    cache.put(bundle({ anticipationConversationId: 'conv-1' }));
    cache.put(bundle({ anticipationConversationId: 'conv-2', warnings: ['x'.repeat(size * 2)] }));
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-1' })).toBeDefined();
    expect(cache.stats()).toMatchObject({ conversations: 1, bundles: 1, evictions: 1 });
  });

  it("evicts conversations before users' own bundles when over maxBytes", () => {
    const size = estimateBundleBytes(bundle());
    const { cache } = setup({ maxBytes: size * 2 + size / 2 });
    cache.put(bundle({ anticipationConversationId: '' }));
    cache.put(bundle({ anticipationConversationId: 'conv-1' }));
    cache.put(bundle({ anticipationConversationId: 'conv-2' }));
    expect(cache.stats()).toMatchObject({ conversations: 1, users: 1, evictions: 1 });
    expect(cache.peek({ conversationId: 'conv-2', userId: 'user-1' })?.bundle.bundleId).toBe(
      `b-${counter}`,
    );
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-1' })?.bundle).toMatchObject({
      anticipationConversationId: '',
    });
  });

  it('estimates more bytes for more text', () => {
    const small = bundle();
    const large = bundle({ warnings: ['x'.repeat(1000)] });
    expect(estimateBundleBytes(large) - estimateBundleBytes(small)).toBeGreaterThanOrEqual(1000);
  });

  it('rejects a bound below 1, naming the field', () => {
    expect(() => new AnticipationCache({ maxBytes: 0 })).toThrow(InvalidInputError);
    expect(() => resolveCacheOptions({ minTtlMs: Number.NaN })).toThrow(/minTtlMs/);
    expect(resolveCacheOptions({})).toMatchObject({
      maxConversations: 1000,
      maxBytes: 16 * 1024 * 1024,
      defaultTtlMs: 300_000,
      minTtlMs: 5_000,
    });
  });
});

describe('AnticipationCache.waitFor', () => {
  it('resolves with the bundle echoing the event id, and not with another', async () => {
    const { cache } = setup();
    cache.expectEvent('conv-1', 'evt-1');
    const waiting = cache.waitFor({
      conversationId: 'conv-1',
      afterEvent: 'evt-1',
      timeoutMs: LONG_MS,
    });
    cache.put(bundle({ inReplyToEventId: 'evt-0' }));
    expect(await isSettled(waiting)).toBe(false);
    const answer = bundle({ inReplyToEventId: 'evt-1' });
    cache.put(answer);
    expect(await waiting).toEqual({ status: 'ready', bundle: answer });
    expect(cache.stats().waiters).toBe(0);
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-1' })?.inReplyToEventId).toBe(
      'evt-1',
    );
  });

  it('resolves at once when the answer already came', async () => {
    const { cache } = setup();
    const answer = bundle({ inReplyToEventId: 'evt-1' });
    cache.put(answer);
    const result = cache.waitFor({ conversationId: 'conv-1', afterEvent: 'evt-1', timeoutMs: 1 });
    expect(await result).toEqual({ status: 'ready', bundle: answer });
  });

  it('resolves a reactive answer, which is not stored', async () => {
    const { cache } = setup();
    const waiting = cache.waitFor({
      conversationId: 'conv-1',
      afterEvent: 'evt-1',
      timeoutMs: LONG_MS,
    });
    const answer = bundle({ bundleType: 'reactive', inReplyToEventId: 'evt-1' });
    cache.put(answer);
    expect(await waiting).toEqual({ status: 'ready', bundle: answer });
    expect(cache.stats().bundles).toBe(0);
  });

  it('without an echo, takes the first bundle of the conversation after expectEvent', async () => {
    const { cache } = setup();
    cache.put(bundle()); // came before the event: answers nothing
    cache.expectEvent('conv-1', 'evt-1');
    cache.expectEvent('conv-1', 'evt-2');
    const first = cache.waitFor({
      conversationId: 'conv-1',
      afterEvent: 'evt-1',
      timeoutMs: LONG_MS,
    });
    const second = cache.waitFor({
      conversationId: 'conv-1',
      afterEvent: 'evt-2',
      timeoutMs: LONG_MS,
    });
    cache.put(bundle({ anticipationConversationId: 'conv-2' }));
    expect(await isSettled(first)).toBe(false);
    const answer = bundle();
    cache.put(answer);
    expect(await first).toEqual({ status: 'ready', bundle: answer });
    expect(await second).toEqual({ status: 'ready', bundle: answer });
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-1' })?.inReplyToEventId).toBe(
      'evt-2',
    );
  });

  it('stops answering by order once the service has echoed an event id', async () => {
    const { cache } = setup();
    cache.put(bundle({ inReplyToEventId: 'evt-0' }));
    cache.expectEvent('conv-1', 'evt-1');
    const waiting = cache.waitFor({
      conversationId: 'conv-1',
      afterEvent: 'evt-1',
      timeoutMs: LONG_MS,
    });
    cache.put(bundle({ bundleType: 'compaction_update' }));
    expect(await isSettled(waiting)).toBe(false);
    cache.close();
  });

  it('forgets the oldest expected event past MAX_PENDING_EVENTS', async () => {
    const { cache } = setup();
    for (let index = 0; index <= MAX_PENDING_EVENTS; index++) {
      cache.expectEvent('conv-1', `evt-${index}`);
    }
    const answer = bundle();
    cache.put(answer);
    const latest = cache.waitFor({
      conversationId: 'conv-1',
      afterEvent: `evt-${MAX_PENDING_EVENTS}`,
      timeoutMs: 1,
    });
    expect(await latest).toEqual({ status: 'ready', bundle: answer });
    const forgotten = cache.waitFor({
      conversationId: 'conv-1',
      afterEvent: 'evt-0',
      timeoutMs: LONG_MS,
    });
    expect(await isSettled(forgotten)).toBe(false);
    cache.close();
  });

  it('resolves timeout after timeoutMs', async () => {
    const { cache } = setup();
    const started = performance.now();
    const result = await cache.waitFor({
      conversationId: 'conv-1',
      afterEvent: 'evt-1',
      timeoutMs: 20,
    });
    expect(result).toEqual({ status: 'timeout' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    expect(cache.stats().waiters).toBe(0);
  });

  it('resolves timeout when aborted, or at once when already aborted', async () => {
    const { cache } = setup();
    const controller = new AbortController();
    const waiting = cache.waitFor({
      conversationId: 'conv-1',
      afterEvent: 'evt-1',
      timeoutMs: LONG_MS,
      signal: controller.signal,
    });
    controller.abort();
    expect(await waiting).toEqual({ status: 'timeout' });
    expect(cache.stats().waiters).toBe(0);
    const late = cache.waitFor({
      conversationId: 'conv-1',
      afterEvent: 'evt-2',
      timeoutMs: LONG_MS,
      signal: controller.signal,
    });
    expect(await late).toEqual({ status: 'timeout' });
  });

  it('answers pending and later waits closed after close(), and stores nothing more', async () => {
    const { cache } = setup();
    cache.put(bundle());
    const waiting = cache.waitFor({
      conversationId: 'conv-1',
      afterEvent: 'evt-1',
      timeoutMs: LONG_MS,
    });
    cache.close();
    cache.close();
    expect(await waiting).toEqual({ status: 'closed' });
    const later = cache.waitFor({
      conversationId: 'conv-1',
      afterEvent: 'evt-2',
      timeoutMs: LONG_MS,
    });
    expect(await later).toEqual({ status: 'closed' });
    cache.put(bundle());
    expect(cache.peek({ conversationId: 'conv-1', userId: 'user-1' })).toBeUndefined();
    expect(cache.stats()).toMatchObject({ conversations: 0, bundles: 0, waiters: 0 });
  });

  it('answers timeout at once past MAX_WAITERS pending waits, and counts it', async () => {
    const { cache } = setup();
    const waits = Array.from({ length: MAX_WAITERS }, (_, index) =>
      cache.waitFor({ conversationId: 'conv-1', afterEvent: `evt-${index}`, timeoutMs: LONG_MS }),
    );
    expect(cache.stats().waiters).toBe(MAX_WAITERS);
    const refused = cache.waitFor({
      conversationId: 'conv-1',
      afterEvent: 'evt-x',
      timeoutMs: LONG_MS,
    });
    expect(await refused).toEqual({ status: 'timeout' });
    expect(cache.stats()).toMatchObject({ waiters: MAX_WAITERS, refusedWaiters: 1 });
    cache.close();
    expect(new Set((await Promise.all(waits)).map((result) => result.status))).toEqual(
      new Set(['closed']),
    );
  });

  it('clear() drops bundles and answers but keeps waits', async () => {
    const { cache } = setup();
    cache.put(bundle({ inReplyToEventId: 'evt-0' }));
    const waiting = cache.waitFor({
      conversationId: 'conv-1',
      afterEvent: 'evt-1',
      timeoutMs: LONG_MS,
    });
    cache.clear();
    expect(cache.stats()).toMatchObject({ conversations: 0, bundles: 0, bytes: 0, waiters: 1 });
    const answer = bundle({ inReplyToEventId: 'evt-1' });
    cache.put(answer);
    expect(await waiting).toEqual({ status: 'ready', bundle: answer });
  });
});
