import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/index.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { expectEachTurnOnce, scriptedTurns, sleep } from './scripted-turns.js';

/**
 * Bursts of 5xx and 429 between the client and the server: a small HTTP front (a
 * stand-in for a load balancer or gateway in trouble) that, for the first
 * `FAULTY_REQUESTS` requests, answers 503 or 429 with Retry-After without forwarding,
 * or forwards and then answers 502 (the server stored the batch, the client never
 * hears it). Every turn is stored once.
 */
const TURNS = 200;
const FAULTY_REQUESTS = 40;

type Fault = 'unavailable' | 'throttled' | 'lost-answer' | 'none';

/** The fault of the n-th request: a repeating burst pattern while faults last. */
function faultOf(index: number): Fault {
  if (index >= FAULTY_REQUESTS) return 'none';
  const pattern: Fault[] = ['unavailable', 'unavailable', 'throttled', 'lost-answer', 'none'];
  return pattern[index % pattern.length] ?? 'none';
}

let t: TestServer;
let front: Server;
const seen: Record<Fault, number> = { unavailable: 0, throttled: 0, 'lost-answer': 0, none: 0 };

async function forward(request: IncomingMessage, body: Buffer) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
      headers.set(name, value);
  }
  return fetch(`${t.server.restUrl}${request.url}`, {
    method: request.method ?? 'GET',
    headers,
    ...(body.length > 0 ? { body } : {}),
  });
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const fault = faultOf(seen.unavailable + seen.throttled + seen['lost-answer'] + seen.none);
  seen[fault]++;
  if (fault === 'unavailable') {
    response.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' });
    response.end(JSON.stringify({ detail: 'upstream unavailable', code: 'unavailable' }));
    return;
  }
  if (fault === 'throttled') {
    response.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
    response.end(JSON.stringify({ detail: 'slow down', code: 'rate_limited' }));
    return;
  }
  const upstream = await forward(request, Buffer.concat(chunks));
  const text = await upstream.text();
  if (fault === 'lost-answer') {
    response.writeHead(502, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ detail: 'bad gateway', code: 'unavailable' }));
    return;
  }
  response.writeHead(upstream.status, { 'content-type': 'application/json' });
  response.end(text);
}

beforeAll(async () => {
  t = await startTestServer('pglite', { requestsPerSecond: 100_000, requestBurst: 100_000 });
  front = createServer((request, response) => {
    handle(request, response).catch(() => {
      response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  front?.closeAllConnections();
  await new Promise((resolve) => front?.close(resolve));
  await t?.close();
});

describe('the client outbox through 5xx and 429 bursts', () => {
  it(`stores each of ${TURNS} turns once through ${FAULTY_REQUESTS} faulty answers`, async () => {
    const client = createClient({
      url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
      apiKey: t.tenant.key,
      env: {},
      timeoutMs: 5_000,
      logger: { warn: () => undefined },
      outbox: { maxBatchSize: 5, flushIntervalMs: 5, baseRetryDelayMs: 20, maxRetryDelayMs: 200 },
    });
    const conversationId = randomUUID();
    const turns = scriptedTurns(conversationId, TURNS);
    try {
      for (const turn of turns) {
        client.outbox.enqueue(turn);
        await sleep(2);
      }
      const flushed = await client.flush({ timeoutMs: 60_000 });
      expect(flushed.undelivered).toBe(0);
    } finally {
      await client.close({ timeoutMs: 1_000 });
    }
    // Every kind of fault was served, and retried through.
    expect(seen.unavailable).toBeGreaterThan(0);
    expect(seen.throttled).toBeGreaterThan(0);
    expect(seen['lost-answer']).toBeGreaterThan(0);
    const stats = client.outbox.stats();
    expect(stats.retries).toBeGreaterThanOrEqual(FAULTY_REQUESTS - FAULTY_REQUESTS / 5);
    expect(stats).toMatchObject({ queued: 0, failed: 0, dropped: 0, delivered: TURNS });
    const stored = await t.server.store.listMessages(t.tenant.clientId, conversationId, {
      limit: 10_000,
    });
    expectEachTurnOnce(stored, turns);
  }, 120_000);
});
