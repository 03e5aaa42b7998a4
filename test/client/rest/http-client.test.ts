import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationApi } from '../../../src/client/conversation-api.js';
import {
  AuthenticationError,
  ContextNotFoundError,
  InvalidInputError,
  NetworkTimeoutError,
  RateLimitError,
  ServiceUnavailableError,
  SynapError,
} from '../../../src/client/errors.js';
import { HttpClient, type HttpClientOptions } from '../../../src/client/http-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { rejection } from './rejection.js';

/**
 * A server that accepts connections and never answers; closing it destroys them.
 * `nextRequest()` resolves when the next request's bytes arrive.
 */
async function silentServer(): Promise<{
  url: string;
  nextRequest(): Promise<void>;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  const waiting: (() => void)[] = [];
  const server: Server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => {
      for (const resolve of waiting.splice(0)) resolve();
    });
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server | HttpServer): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    }),
  );
}

async function freePort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('HttpClient', () => {
  let t: TestServer;
  // A second server with a tiny rate limit; one test stops it.
  let limited: TestServer | undefined;
  const client = (overrides: Partial<HttpClientOptions> = {}) =>
    new HttpClient({
      baseUrl: t.server.restUrl,
      apiKey: t.tenant.key,
      timeoutMs: 5000,
      ...overrides,
    });

  beforeAll(async () => {
    [t, limited] = await Promise.all([
      startTestServer('pglite'),
      startTestServer('pglite', { requestsPerSecond: 1, requestBurst: 1 }),
    ]);
  });
  afterAll(() => Promise.all([t?.close(), limited?.close()]));

  it('sends the Synap headers, a fresh correlation id per call, and JSON', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    let next = 0;
    const http = client({
      clientId: 'client-a',
      instanceId: 'inst_0123456789abcdef',
      baseUrl: `${t.server.restUrl}/`,
      newCorrelationId: () => `corr-${next++}`,
      fetch: (url, init = {}) => {
        seen.push({ url: String(url), init });
        return fetch(url, init);
      },
    });
    const body = { conversation_id: randomUUID(), role: 'user', content: 'hi', user_id: 'alice' };
    const answer = await http.request('POST', '/v1/conversations/messages', { body });
    expect(answer).toMatchObject({ conversation_id: body.conversation_id });
    await http.request('GET', '/api/v1/auth/whoami');
    expect(seen.map((call) => call.url)).toEqual([
      `${t.server.restUrl}/v1/conversations/messages`,
      `${t.server.restUrl}/api/v1/auth/whoami`,
    ]);
    const [post, get] = seen.map((call) => call.init.headers as Record<string, string>);
    expect(post).toMatchObject({
      authorization: `Bearer ${t.tenant.key}`,
      'x-client-id': 'client-a',
      'x-instance-id': 'inst_0123456789abcdef',
      'x-correlation-id': 'corr-0',
      'content-type': 'application/json',
    });
    expect(seen[0]?.init.body).toBe(JSON.stringify(body));
    expect(get?.['x-correlation-id']).toBe('corr-1');
    expect(get?.['content-type']).toBeUndefined();
  });

  it('maps a wrong key to AuthenticationError', async () => {
    const api = new ConversationApi(client({ apiKey: 'fsk_wrong' }));
    const error = await rejection(api.compactionStatus(randomUUID()));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, retryable: false, code: 'authentication_failed' });
  });

  it('maps 404 to ContextNotFoundError with the service detail', async () => {
    const error = await rejection(client().request('GET', '/v1/no-such-route'));
    expect(error).toBeInstanceOf(ContextNotFoundError);
    expect(error.message).toBe('no route GET /v1/no-such-route');
  });

  it('treats a 2xx answer that is not JSON as a transient failure', async () => {
    const http = client({ fetch: async () => new Response('<html>', { status: 200 }) });
    const error = await rejection(http.request('GET', '/health'));
    expect(SynapError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true, message: 'answer to GET /health is not JSON' });
  });

  it('refuses a body JSON cannot carry without calling fetch', async () => {
    let calls = 0;
    const http = client({
      fetch: async () => {
        calls++;
        return new Response('{}');
      },
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const error = await rejection(http.request('POST', '/v1/events', { body: cyclic }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe('body');
    expect(calls).toBe(0);
  });

  it('answers undefined for an empty 2xx body', async () => {
    const http = client({ fetch: async () => new Response(null, { status: 204 }) });
    expect(await http.request('DELETE', '/anything')).toBeUndefined();
  });

  it('throws RateLimitError with retryAfterMs, then ServiceUnavailableError once stopped', async () => {
    const server = limited as TestServer;
    const api = new ConversationApi(
      new HttpClient({
        baseUrl: server.server.restUrl,
        apiKey: server.tenant.key,
        timeoutMs: 5000,
      }),
    );
    const conversationId = randomUUID();
    const turn = { conversationId, role: 'user' as const, content: 'hi', userId: 'alice' };
    await api.recordMessage(turn);
    const error = await rejection(api.recordMessage(turn));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryable).toBe(true);

    await server.close();
    limited = undefined;
    const down = await rejection(api.recordMessage(turn));
    expect(down).toBeInstanceOf(ServiceUnavailableError);
    expect(down.retryable).toBe(true);
  });

  it('throws ServiceUnavailableError when nothing listens on the port', async () => {
    const http = client({ baseUrl: `http://127.0.0.1:${await freePort()}` });
    const error = await rejection(http.request('GET', '/health'));
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toMatch(/^service unreachable/);
  });

  describe('bounds', () => {
    let silent: Awaited<ReturnType<typeof silentServer>>;
    beforeAll(async () => {
      silent = await silentServer();
    });
    afterAll(() => silent?.close());

    it('throws NetworkTimeoutError after timeoutMs when the service never answers', async () => {
      const timeoutMs = 200;
      const http = client({ baseUrl: silent.url, timeoutMs });
      const started = Date.now();
      const error = await rejection(http.request('GET', '/health'));
      expect(error).toBeInstanceOf(NetworkTimeoutError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(timeoutMs - 20);
      expect(Date.now() - started).toBeLessThan(10 * timeoutMs);
    });

    it('lets one call choose its own bound', async () => {
      const http = client({ baseUrl: silent.url, timeoutMs: 60_000 });
      const error = await rejection(http.request('GET', '/health', { timeoutMs: 100 }));
      expect(error).toBeInstanceOf(NetworkTimeoutError);
    });

    it("rejects with the caller's abort reason, not a service error", async () => {
      const http = client({ baseUrl: silent.url });
      const controller = new AbortController();
      const arrived = silent.nextRequest();
      const pending = http.request('GET', '/health', { signal: controller.signal });
      const reason = new Error('user gave up');
      // Aborted while the request is in flight, not before it left.
      await arrived;
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
    });

    it('also bounds reading the body of an answer that stalls', async () => {
      const stalling = createHttpServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"partial":');
      });
      const port = await listen(stalling);
      try {
        const http = client({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 200 });
        await expect(http.request('GET', '/health')).rejects.toBeInstanceOf(NetworkTimeoutError);
      } finally {
        stalling.closeAllConnections();
        await new Promise((resolve) => stalling.close(resolve));
      }
    });
  });
});
