import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryAnticipator } from '../../../src/engine/memory-anticipator.js';
import type { AuthContext } from '../../../src/server/api-keys.js';
import { BundleHub } from '../../../src/server/events/bundle-hub.js';
import { EventProcessor } from '../../../src/server/events/event-processor.js';
import {
  createHttpEventPath,
  type HttpEventPath,
} from '../../../src/server/events/http-event-path.js';
import { ServerError } from '../../../src/server/server-error.js';
import type { Store } from '../../../src/store/store.js';
import {
  addClient,
  conversationId,
  memory,
  newApiKeys,
  openTestStore,
  silentLogger,
} from './fixtures.js';

let store: Store;
let close: () => Promise<void>;
let hub: BundleHub;
let processor: EventProcessor;
let path: HttpEventPath;
let acme: AuthContext;
let globex: AuthContext;

beforeAll(async () => {
  ({ store, close } = await openTestStore());
  const apiKeys = newApiKeys(store);
  acme = (await addClient(store, apiKeys, 'acme')).auth;
  globex = (await addClient(store, apiKeys, 'globex')).auth;
  await store.insertMemories('acme', [
    memory({ userId: 'ana', content: 'Ana prefers aisle seats on flights to Lisbon' }),
  ]);
  hub = new BundleHub();
  processor = new EventProcessor({
    store,
    anticipator: new MemoryAnticipator({ store }),
    hub,
    logger: silentLogger,
  });
  path = createHttpEventPath({ processor, store, hub, logger: silentLogger });
});

afterAll(async () => {
  await close();
});

function toolCall(conversation: string, eventId?: string) {
  return {
    event_type: 'tool_call',
    conversation_id: conversation,
    user_id: 'ana',
    role: 'assistant',
    tool_name: 'book_flight',
    tool_args: { destination: 'Lisbon' },
    metadata: eventId ? { event_id: eventId } : null,
    customer_id: null,
  };
}

async function refusal(run: () => Promise<unknown>): Promise<ServerError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ServerError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('postEvent and nextBundles', () => {
  it('answers the bundle of a posted event, echoing its event id', async () => {
    const conversation = conversationId();
    expect(await path.postEvent(acme, toolCall(conversation, 'evt-http-1'))).toEqual({
      event_id: 'evt-http-1',
    });
    const result = await path.nextBundles(acme, { conversation_id: conversation, user_id: 'ana' });
    expect(result.bundles).toHaveLength(1);
    const [bundle] = result.bundles;
    expect(bundle?.in_reply_to_event_id).toBe('evt-http-1');
    expect(bundle?.anticipation_user_id).toBe('ana');
    expect(bundle?.items_by_type.facts?.[0]?.content).toBe(
      'Ana prefers aisle seats on flights to Lisbon',
    );
    expect(JSON.stringify(result)).not.toContain('null');
    expect(Number(result.next_cursor)).toBeGreaterThan(0);
  });

  it('gives an event without event_id a fresh id and records unknown types without a bundle', async () => {
    const conversation = conversationId();
    const { event_id } = await path.postEvent(acme, toolCall(conversation));
    expect(event_id).toMatch(/^[0-9a-f-]{36}$/);
    const thinking = await processor.handle(
      acme,
      { event_type: 'agent_thinking', conversation_id: conversation, content: 'hmm' },
      'http',
    );
    expect(thinking.bundle).toBeUndefined();
    const result = await path.nextBundles(acme, {
      conversation_id: conversation,
      user_id: 'ana',
      wait_ms: '0',
    });
    expect(result.bundles.map((bundle) => bundle.in_reply_to_event_id)).toEqual([event_id]);
  });

  it('wakes a waiting long-poll as soon as a bundle is saved', async () => {
    const conversation = conversationId();
    const waitMs = 20_000;
    const started = performance.now();
    const polling = path.nextBundles(acme, {
      conversation_id: conversation,
      user_id: 'ana',
      wait_ms: String(waitMs),
    });
    // Parked on the hub: the event that the poll waits.
    await vi.waitFor(() => expect(hub.listenerCount).toBe(1), { timeout: 10_000 });
    await path.postEvent(acme, toolCall(conversation, 'evt-wake'));
    const result = await polling;
    expect(result.bundles.map((bundle) => bundle.in_reply_to_event_id)).toEqual(['evt-wake']);
    // Woken, not answered at the end of its wait.
    expect(performance.now() - started).toBeLessThan(waitMs / 2);
    expect(hub.listenerCount).toBe(0);
  });

  it('times out with no bundles at wait_ms and keeps the cursor', async () => {
    const started = Date.now();
    const result = await path.nextBundles(acme, {
      conversation_id: conversationId(),
      user_id: 'ana',
      cursor: '7',
      wait_ms: 150,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(result).toEqual({ bundles: [], next_cursor: '7' });
  });

  it('finds a bundle saved without the hub (another replica) by the read after the wait', async () => {
    const conversation = conversationId();
    const replica = new EventProcessor({
      store,
      anticipator: new MemoryAnticipator({ store }),
      hub: new BundleHub(),
    });
    // Warmed first (its working sets filled), so its event is stored well inside the
    // poll's wait even on a busy machine: the poll must find it by its last read.
    await replica.handle(acme, toolCall(conversationId(), 'evt-warm-up'), 'http');
    const started = Date.now();
    const polling = path.nextBundles(acme, {
      conversation_id: conversation,
      user_id: 'ana',
      wait_ms: 2000,
    });
    await vi.waitFor(() => expect(hub.listenerCount).toBe(1), { timeout: 10_000 });
    const { bundle } = await replica.handle(acme, toolCall(conversation, 'evt-replica'), 'http');
    expect(bundle).toBeDefined();
    const result = await polling;
    expect(result.bundles.map((b) => b.in_reply_to_event_id)).toEqual(['evt-replica']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1990);
  });

  it('pages with the cursor', async () => {
    const paged = createHttpEventPath({ processor, store, hub, maxBundlesPerPoll: 2 });
    const conversation = conversationId();
    for (const id of ['p1', 'p2', 'p3']) await paged.postEvent(acme, toolCall(conversation, id));
    const query = { conversation_id: conversation, user_id: 'ana', wait_ms: 0 };
    const first = await paged.nextBundles(acme, query);
    expect(first.bundles.map((b) => b.in_reply_to_event_id)).toEqual(['p1', 'p2']);
    const second = await paged.nextBundles(acme, { ...query, cursor: first.next_cursor });
    expect(second.bundles.map((b) => b.in_reply_to_event_id)).toEqual(['p3']);
    const third = await paged.nextBundles(acme, { ...query, cursor: second.next_cursor });
    expect(third).toEqual({ bundles: [], next_cursor: second.next_cursor });
  });

  it('ends the wait when the client goes away', async () => {
    const controller = new AbortController();
    const polling = path.nextBundles(
      acme,
      { conversation_id: conversationId(), user_id: 'ana', wait_ms: 20_000 },
      controller.signal,
    );
    await vi.waitFor(() => expect(hub.listenerCount).toBe(1), { timeout: 10_000 });
    controller.abort();
    expect((await polling).bundles).toEqual([]);
    expect(hub.listenerCount).toBe(0);
  });

  it('never answers another client\u2019s bundles', async () => {
    const conversation = conversationId();
    await path.postEvent(acme, toolCall(conversation, 'evt-tenant'));
    const result = await path.nextBundles(globex, {
      conversation_id: conversation,
      user_id: 'ana',
      wait_ms: 0,
    });
    expect(result.bundles).toEqual([]);
  });

  it('names the field of a bad event or query', async () => {
    const badEvent = await refusal(() =>
      path.postEvent(acme, { ...toolCall(conversationId()), conversation_id: 'nope' }),
    );
    expect([badEvent.code, badEvent.field]).toEqual(['invalid_input', 'conversation_id']);
    const badQuery = await refusal(() =>
      path.nextBundles(acme, { conversation_id: 'x', user_id: 'ana' }),
    );
    expect(badQuery.field).toBe('conversation_id');
    const badCursor = await refusal(() =>
      path.nextBundles(acme, { conversation_id: conversationId(), user_id: 'ana', cursor: '-1' }),
    );
    expect(badCursor.field).toBe('cursor');
  });

  it('clamps wait_ms to its bound', async () => {
    const maxWaitMs = 100;
    const bounded = createHttpEventPath({ processor, store, hub, maxWaitMs });
    const started = Date.now();
    const result = await bounded.nextBundles(acme, {
      conversation_id: conversationId(),
      user_id: 'ana',
      wait_ms: 999_999_999,
    });
    expect(result.bundles).toEqual([]);
    // A generous multiple of the bound, and nothing like the wait asked for.
    expect(Date.now() - started).toBeLessThan(20 * maxWaitMs);
  });

  it('skips a stored payload that no longer parses, still moving the cursor', async () => {
    const conversation = conversationId();
    await store.saveBundle('acme', {
      id: 'broken',
      conversationId: conversation,
      userId: 'ana',
      customerId: '',
      inReplyToEventId: '',
      bundleType: 'anticipation',
      payload: { bundle_id: 'broken' },
      retrievalMs: 0,
    });
    const waitMs = 5_000;
    const started = Date.now();
    const result = await path.nextBundles(acme, {
      conversation_id: conversation,
      user_id: 'ana',
      wait_ms: waitMs,
    });
    expect(result.bundles).toEqual([]);
    expect(Number(result.next_cursor)).toBeGreaterThan(0);
    // Answered past the broken row, not at the end of the wait.
    expect(Date.now() - started).toBeLessThan(waitMs / 2);
  });
});

describe('EventProcessor.handleSessionControl', () => {
  it('records start and end, refusing another action by name', async () => {
    const control = { conversation_id: conversationId(), user_id: 'ana', session_id: 's-1' };
    expect(
      (await processor.handleSessionControl(acme, { ...control, action: 'start' }, 'grpc')).eventId,
    ).toBeTruthy();
    expect(
      (await processor.handleSessionControl(acme, { ...control, action: 'END' }, 'grpc')).bundle,
    ).toBeUndefined();
    const refused = await refusal(() =>
      processor.handleSessionControl(acme, { ...control, action: 'pause' }, 'grpc'),
    );
    expect(refused.field).toBe('action');
  });
});
