import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveServerOptions } from '../../src/server/server-options.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Finding 2 (HIGH): sockets that sent `POST /v1/conversations/messages` headers without
 * a key, `Content-Length: 4000000` and then a trickle of body held their buffered
 * bodies for as long as they liked: no request timeout, and auth ran after the body.
 * Now the key is checked before the body is read (401 at once, nothing buffered), and
 * a request must arrive within `requestTimeoutMs`. Figures (RSS, p99 of another client
 * during the attack) come from bench/attack/slow-body.ts.
 */
const TIMEOUT_MS = 400;
let t: TestServer;
let port: number;

beforeAll(async () => {
  t = await startTestServer('pglite', { requestTimeoutMs: TIMEOUT_MS });
  port = Number(new URL(t.server.restUrl).port);
});

afterAll(async () => {
  await t?.close();
});

interface SlowSender {
  socket: Socket;
  /** Everything the server wrote, as text. */
  received: () => string;
  /** Resolves once the server wrote text matching `pattern`. */
  answer: (pattern: RegExp) => Promise<string>;
  closed: Promise<void>;
}

/** Headers announcing a 4 MB body, then `firstBytes` of it, and nothing more. */
function slowSender(options: { key?: string; firstBytes: number }): Promise<SlowSender> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const waiters = new Set<() => void>();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      for (const waiter of waiters) waiter();
    });
    socket.on('error', () => {});
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('connect', () => {
      socket.write(
        [
          'POST /v1/conversations/messages HTTP/1.1',
          `Host: 127.0.0.1:${port}`,
          'Content-Type: application/json',
          'Content-Length: 4000000',
          ...(options.key ? [`Authorization: Bearer ${options.key}`] : []),
          '',
          '',
        ].join('\r\n'),
      );
      socket.write(`{"content":"${'a'.repeat(options.firstBytes)}`);
      resolve({
        socket,
        received: () => text,
        closed,
        answer: (pattern) =>
          new Promise((found) => {
            const check = () => {
              if (!pattern.test(text)) return;
              waiters.delete(check);
              found(text);
            };
            waiters.add(check);
            check();
          }),
      });
    });
    socket.once('error', reject);
  });
}

describe('slow request bodies (finding 2)', () => {
  it('a request without a key is answered 401 before its body has arrived', async () => {
    const sender = await slowSender({ firstBytes: 1000 });
    const answer = await sender.answer(/\r\n\r\n[\s\S]*\}/);
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
    expect(answer).toContain('authentication_failed');
    sender.socket.destroy();
  });

  it('a request without a key whose body never ends: the socket is closed by the server', async () => {
    const sender = await slowSender({ firstBytes: 10 });
    await sender.closed;
    expect(sender.received()).toMatch(/^HTTP\/1\.1 401/);
  });

  it('an authenticated request whose body never ends: 408 and the socket closed', async () => {
    const sender = await slowSender({ key: t.tenant.key, firstBytes: 10 });
    await sender.closed;
    expect(sender.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('the timeout and the connection cap are server options with env variables', () => {
    const defaults = resolveServerOptions({}, {});
    expect(defaults.requestTimeoutMs).toBe(30_000);
    expect(defaults.maxConnections).toBe(2000);
    const fromEnv = resolveServerOptions(
      {},
      { FORESIGHT_REQUEST_TIMEOUT_MS: '5000', FORESIGHT_MAX_CONNECTIONS: '10' },
    );
    expect(fromEnv.requestTimeoutMs).toBe(5000);
    expect(fromEnv.maxConnections).toBe(10);
    expect(() => resolveServerOptions({ requestTimeoutMs: 0 }, {})).toThrow(
      /requestTimeoutMs \(FORESIGHT_REQUEST_TIMEOUT_MS\)/,
    );
  });
});
