import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AuthenticationError,
  ClientClosedError,
  createClient,
  type ForesightClient,
  InvalidInputError,
  ListeningNotActiveError,
  SynapError,
} from '../../src/index.js';
import { memory } from '../support/memories.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const TRANSPORTS = ['grpc', 'http'] as const;

describe.each(TRANSPORTS)('createClient over %s', (transport) => {
  let t: TestServer;
  let client: ForesightClient;
  beforeAll(async () => {
    t = await startTestServer('pglite');
    await t.server.store.insertMemories(t.tenant.clientId, [
      memory({
        content: 'Alice always flies aisle seats',
        memoryType: 'preferences',
        category: 'travel',
      }),
      memory({
        content: 'Bob always flies window seats',
        userId: 'bob',
        memoryType: 'preferences',
      }),
    ]);
    client = createClient({
      url: t.server.restUrl,
      grpcTarget: t.server.grpcTarget,
      apiKey: t.tenant.key,
      transport,
      env: {},
    });
  });
  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  const toolCall = (conversationId: string, userId = 'alice') => ({
    eventType: 'tool_call' as const,
    conversationId,
    userId,
    toolName: 'book_flight',
    toolArgs: { destination: 'Lisbon', seat: 'aisle' },
  });

  it('refuses sendMessage before listen with ListeningNotActiveError', async () => {
    await expect(client.instance.sendMessage(toolCall(randomUUID()))).rejects.toBeInstanceOf(
      ListeningNotActiveError,
    );
  });

  it('pushes the bundle for a tool_call into the cache: waitFor resolves for its event, peek returns it', async () => {
    await client.instance.listen();
    const conversationId = randomUUID();
    const eventId = await client.instance.sendMessage(toolCall(conversationId));
    const result = await client.context.waitFor({
      conversationId,
      afterEvent: eventId,
      timeoutMs: 5000,
    });
    expect(result.status).toBe('ready');
    if (result.status !== 'ready') return;
    expect(result.bundle.inReplyToEventId).toBe(eventId);
    const contents = Object.values(result.bundle.itemsByType).flatMap((items) =>
      (items ?? []).map((item) => item.content),
    );
    expect(contents).toContain('Alice always flies aisle seats');
    expect(contents).not.toContain('Bob always flies window seats');
    const cached = client.context.peek({ conversationId, userId: 'alice' });
    expect(cached?.bundle.bundleId).toBe(result.bundle.bundleId);
    expect(client.context.peek({ conversationId, userId: 'bob' })).toBeUndefined();
  });

  it('takes a second listen as a join: it resolves, and its callbacks hear the same stream', async () => {
    const bundles: string[] = [];
    await client.instance.listen({ onBundle: (bundle) => bundles.push(bundle.bundleId) });
    expect(client.instance.status).toBe('connected');
    const conversationId = randomUUID();
    const eventId = await client.instance.sendMessage(toolCall(conversationId));
    const result = await client.context.waitFor({
      conversationId,
      afterEvent: eventId,
      timeoutMs: 5000,
    });
    expect(result.status).toBe('ready');
    if (result.status === 'ready')
      await vi.waitFor(() => expect(bundles).toContain(result.bundle.bundleId));
  });

  it('throws InvalidInputError naming the field before sending a bad event', async () => {
    const error = await client.instance
      .sendMessage({ ...toolCall('not-a-uuid') })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as SynapError).field).toBe('conversationId');
    const bad = await client.instance
      .sendMessage({
        ...toolCall(randomUUID()),
        toolArgs: ['not', 'an', 'object'] as unknown as Record<string, unknown>,
      })
      .catch((caught: unknown) => caught);
    expect((bad as SynapError).field).toBe('toolArgs');
  });
});

describe('createClient errors and lifecycle', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('pglite');
  });
  afterAll(() => t?.close());

  it('raises AuthenticationError for a wrong key on REST', async () => {
    const client = createClient({
      url: t.server.restUrl,
      apiKey: 'fsk_000000000000_wrongwrongwrongwrongwrongwrongwrong',
      env: {},
    });
    const error = await client.conversation
      .recordMessage({ conversationId: randomUUID(), role: 'user', content: 'hi', userId: 'alice' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(SynapError.isInstance(error)).toBe(true);
    await client.close();
  });

  it('reads its options from env when not given, and names a missing key', () => {
    const client = createClient({
      env: {
        FORESIGHT_URL: 'http://example.test:9000/',
        FORESIGHT_API_KEY: 'k',
        FORESIGHT_TRANSPORT: 'http',
      },
    });
    expect(client.options).toMatchObject({
      url: 'http://example.test:9000',
      grpcTarget: 'example.test:8421',
      transport: 'http',
      timeoutMs: 10_000,
    });
    expect(JSON.stringify(client.options)).not.toContain('"k"');
    expect(() => createClient({ env: {} })).toThrow(/apiKey \(FORESIGHT_API_KEY\): is required/);
    expect(() => createClient({ apiKey: 'k', instanceId: 'inst_xyz', env: {} })).toThrow(
      /instanceId/,
    );
  });

  it('waitFor times out cleanly when the server is gone, and close() refuses later calls', async () => {
    const own = await startTestServer('pglite');
    const client = createClient({
      url: own.server.restUrl,
      grpcTarget: own.server.grpcTarget,
      apiKey: own.tenant.key,
      env: {},
    });
    await client.instance.listen();
    await own.close();
    const conversationId = randomUUID();
    const eventId = await client.instance
      .sendMessage({ eventType: 'user_message', conversationId, userId: 'alice', content: 'hello' })
      .catch(() => 'unsent');
    const timeoutMs = 150;
    const started = performance.now();
    const result = await client.context.waitFor({ conversationId, afterEvent: eventId, timeoutMs });
    expect(result).toEqual({ status: 'timeout' });
    expect(performance.now() - started).toBeLessThan(10 * timeoutMs);
    const closed = await client.close({ timeoutMs: 500 });
    expect(closed.pending).toBe(0);
    await expect(client.conversation.contextForPrompt(conversationId)).rejects.toBeInstanceOf(
      ClientClosedError,
    );
  });
});
