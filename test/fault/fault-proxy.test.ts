import { createServer as createHttpServer, request, type Server } from 'node:http';
import {
  connect as connectHttp2,
  createServer as createHttp2Server,
  type Http2Server,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FaultProxy } from '../support/fault-proxy.js';

let http: Server;
let http2: Http2Server;
let proxy: FaultProxy;
let proxy2: FaultProxy;

function portOf(server: Server | Http2Server): number {
  return (server.address() as AddressInfo).port;
}

/** One GET through the proxy on a fresh connection: the status, or the error code. */
function get(url: string, timeoutMs = 2000): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = request(`${url}/ping`, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? 'error' }));
    req.end();
  });
}

beforeAll(async () => {
  http = createHttpServer((req, res) => {
    if (req.url === '/slow') {
      // Holds the connection open so a reset has something to cut.
      setTimeout(() => res.end('late'), 5000).unref();
      return;
    }
    res.end('pong');
  });
  http2 = createHttp2Server();
  http2.on('stream', (stream) => {
    stream.respond({ ':status': 200 });
    stream.end('h2 pong');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => http2.listen(0, '127.0.0.1', resolve));
  proxy = await FaultProxy.start(`127.0.0.1:${portOf(http)}`);
  proxy2 = await FaultProxy.start(`127.0.0.1:${portOf(http2)}`);
});

afterEach(() => {
  proxy.restore();
});

afterAll(async () => {
  await proxy?.close();
  await proxy2?.close();
  http?.closeAllConnections();
  await new Promise((resolve) => http?.close(resolve));
  await new Promise((resolve) => http2?.close(resolve));
});

describe('FaultProxy', () => {
  it('relays HTTP/1.1 and http2 unchanged', async () => {
    expect(await get(proxy.url)).toEqual({ status: 200 });
    const session = connectHttp2(proxy2.url);
    const body = await new Promise<string>((resolve, reject) => {
      const stream = session.request({ ':path': '/' });
      let text = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        text += chunk;
      });
      stream.on('end', () => resolve(text));
      stream.on('error', reject);
    });
    session.close();
    expect(body).toBe('h2 pong');
  });

  it('drops the configured share of new connections', async () => {
    const before = proxy.stats();
    proxy.set({ dropShare: 0.5 });
    const outcomes = await Promise.all(Array.from({ length: 60 }, () => get(proxy.url)));
    const failed = outcomes.filter((outcome) => outcome.error !== undefined).length;
    const after = proxy.stats();
    expect(after.dropped - before.dropped).toBe(failed);
    // 60 draws at 0.5: outside 10..50 happens with probability below 1e-7.
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(50);
    expect(() => proxy.set({ dropShare: 1.5 })).toThrow(/dropShare/);
  });

  it('delays bytes by the configured time', async () => {
    proxy.set({ delayMs: 150 });
    const started = performance.now();
    expect(await get(proxy.url)).toEqual({ status: 200 });
    // At least one delay each way.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('resets open connections', async () => {
    const slow = new Promise<{ status?: number; error?: string }>((resolve) => {
      const req = request(`${proxy.url}/slow`, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      });
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? 'error' }));
      req.end();
    });
    await waitUntil(() => proxy.stats().open > 0);
    expect(proxy.resetAll()).toBeGreaterThan(0);
    expect(await slow).toEqual({ error: 'ECONNRESET' });
  });

  it('black-holes new connections until restored', async () => {
    proxy.set({ blackHole: true });
    expect(await get(proxy.url, 300)).toEqual({ error: 'TIMEOUT' });
    expect(proxy.stats().blackHoled).toBeGreaterThan(0);
    proxy.restore();
    expect(await get(proxy.url)).toEqual({ status: 200 });
  });
});

function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  return vi.waitFor(
    () => {
      if (!condition()) throw new Error('condition not met in time');
    },
    { timeout: timeoutMs, interval: 10 },
  );
}
