import { randomUUID } from 'node:crypto';
import * as ai7 from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { foresightMiddleware } from '../../../adapters/ai-sdk/index.js';
import {
  ForesightCallbackHandler,
  foresightMiddleware as langChainMiddleware,
} from '../../../adapters/langchain/index.js';
import { withForesight } from '../../../adapters/tools/index.js';
import {
  closeDefaultClient,
  createClient,
  defaultClient,
  type ForesightClient,
  InvalidInputError,
} from '../../../src/index.js';
import { memory } from '../../support/memories.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { AI7 } from '../ai-sdk/model-harness.js';

const AISLE = 'Alice always flies aisle seats';

let t: TestServer;
const clients: ForesightClient[] = [];
/** A client of this server that nobody told to listen. */
function freshClient(): ForesightClient {
  const client = createClient({
    url: t.server.restUrl,
    grpcTarget: t.server.grpcTarget,
    apiKey: t.tenant.key,
    env: {},
  });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  t = await startTestServer('pglite');
  await t.server.store.insertMemories(t.tenant.clientId, [
    memory({ content: AISLE, memoryType: 'preferences' }),
  ]);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close({ timeoutMs: 1000 })));
  await t?.close();
});

describe('adapters start their client stream themselves', () => {
  it('foresightMiddleware (AI SDK) on a client that never called listen(): the call after the tool call gets the memory', async () => {
    const client = freshClient();
    const middleware = foresightMiddleware(client, { awaitContextMs: 5_000 });
    expect(client.instance.listening).toBe(true);
    const { prompts } = await AI7.run({
      middleware,
      messages: [{ role: 'user', content: 'Book me a flight to Lisbon' }],
      steps: [
        {
          toolCall: {
            id: 'c1',
            name: 'book_flight',
            input: { destination: 'Lisbon', seat: 'aisle' },
          },
        },
        { text: 'Booked.' },
      ],
      stream: false,
      providerOptions: { foresight: { threadId: `chat-${randomUUID()}`, userId: 'alice' } },
    });
    expect(JSON.stringify(prompts[1])).toContain(AISLE);
    expect(middleware.stats()).toMatchObject({ eventsSkipped: 0 });
  });

  it('lets the application listen() too: it joins the stream the adapter opened, and its callbacks hear it', async () => {
    const client = freshClient();
    const middleware = foresightMiddleware(client, { awaitContextMs: 5_000 });
    const bundles: string[] = [];
    await client.instance.listen({ onBundle: (bundle) => bundles.push(bundle.bundleId) });
    await client.instance.listen();
    expect(client.instance.status).toBe('connected');
    await AI7.run({
      middleware,
      messages: [{ role: 'user', content: 'Book me a flight to Lisbon' }],
      steps: [{ text: 'Sure.' }],
      stream: false,
      providerOptions: { foresight: { threadId: `chat-${randomUUID()}`, userId: 'alice' } },
    });
    await vi.waitFor(() => expect(bundles.length).toBeGreaterThan(0));
  });

  it('opens one stream per client, whatever the number of adapters on it', async () => {
    const streamsOpen = async () =>
      (await t.server.metrics.streamsOpen.get()).values[0]?.value ?? 0;
    const before = await streamsOpen();
    const client = freshClient();
    foresightMiddleware(client);
    langChainMiddleware(client);
    new ForesightCallbackHandler(client);
    withForesight(ai7.tool({ inputSchema: z.object({}), execute: async () => 'ok' }), {
      client,
      identity: { userId: 'alice', threadId: 'one-stream' },
    });
    await vi.waitFor(() => expect(client.instance.status).toBe('connected'));
    await vi.waitFor(async () => expect(await streamsOpen()).toBe(before + 1));
  });

  it('listen: false opts out: nothing listens, and events are skipped (counted)', async () => {
    const client = freshClient();
    const middleware = foresightMiddleware(client, { listen: false });
    new ForesightCallbackHandler(client, { listen: false });
    langChainMiddleware(client, { listen: false });
    expect(client.instance.listening).toBe(false);
    await AI7.run({
      middleware,
      messages: [{ role: 'user', content: 'Hello' }],
      steps: [{ text: 'Hi.' }],
      stream: false,
      providerOptions: { foresight: { threadId: `chat-${randomUUID()}`, userId: 'alice' } },
    });
    expect(client.instance.listening).toBe(false);
    expect(middleware.stats().eventsSkipped).toBeGreaterThan(0);
  });

  it('does not restart a stream the application stopped', async () => {
    const client = freshClient();
    await client.instance.listen();
    await client.instance.stopListening();
    foresightMiddleware(client);
    expect(client.instance.listening).toBe(false);
  });
});

describe('defaultClient', () => {
  const saved = { ...process.env };
  afterEach(async () => {
    await closeDefaultClient({ timeoutMs: 1000 });
    for (const name of Object.keys(process.env)) {
      if (name.startsWith('FORESIGHT_') && !(name in saved)) delete process.env[name];
    }
    Object.assign(process.env, saved);
  });

  const useServerEnv = () => {
    process.env.FORESIGHT_URL = t.server.restUrl;
    process.env.FORESIGHT_API_KEY = t.tenant.key;
    process.env.FORESIGHT_GRPC_TARGET = t.server.grpcTarget;
  };

  it('is built from env on first use, once: adapters given no client share it', () => {
    useServerEnv();
    const middleware = foresightMiddleware({ identity: { userId: 'alice' } });
    const client = defaultClient();
    expect(defaultClient()).toBe(client);
    expect(client.options.url).toBe(t.server.restUrl);
    expect(client.instance.listening).toBe(true);
    expect(middleware.tracker).toBeDefined();
    new ForesightCallbackHandler({ identity: { userId: 'alice' } });
    langChainMiddleware({ identity: { userId: 'alice' } });
    expect(defaultClient()).toBe(client);
  });

  it('makes a new one after closeDefaultClient', async () => {
    useServerEnv();
    const first = defaultClient();
    await closeDefaultClient({ timeoutMs: 1000 });
    expect(defaultClient()).not.toBe(first);
  });

  it('is not made when the adapter is given a tracker', () => {
    delete process.env.FORESIGHT_API_KEY;
    const client = freshClient();
    const shared = foresightMiddleware(client, { listen: false });
    expect(() => foresightMiddleware({ tracker: shared.tracker })).not.toThrow();
    expect(() => new ForesightCallbackHandler({ tracker: shared.tracker })).not.toThrow();
  });

  it('refuses incomplete env with an error naming the variable', () => {
    delete process.env.FORESIGHT_API_KEY;
    expect(() => foresightMiddleware({ identity: { userId: 'alice' } })).toThrow(
      /apiKey \(FORESIGHT_API_KEY\): is required/,
    );
    process.env.FORESIGHT_API_KEY = 'key';
    process.env.FORESIGHT_EXIT_FLUSH_MS = 'soon';
    const error = (() => {
      try {
        defaultClient();
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).message).toMatch(
      /FORESIGHT_EXIT_FLUSH_MS: must be a number/,
    );
  });
});
