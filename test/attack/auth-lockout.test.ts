import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynapServiceClient } from '../../src/gen/synap/v1/synap.js';
import { ListenProbe, synapClient } from '../server/grpc/listen-probe.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Finding 4 (MEDIUM): 25 Listen calls with an unknown key from one address blocked new
 * streams of valid keys A and B for 30 s: behind a NAT, anyone kept everyone out.
 * Finding 9 (LOW): REST had no throttle on failed authentication at all: 1,758 bad
 * keys a second, each a store lookup, slowed every other client.
 * Failures now count per address and per key id, and a valid key always passes.
 */
let t: TestServer;
let grpc: SynapServiceClient;
const probes: ListenProbe[] = [];
const UNKNOWN_KEY = `fsk_${'x'.repeat(12)}_${'y'.repeat(32)}`;

beforeAll(async () => {
  t = await startTestServer('pglite');
  grpc = synapClient(Number(t.server.grpcTarget.split(':').at(-1)));
});

afterAll(async () => {
  for (const probe of probes) probe.call.end();
  grpc?.close();
  await t?.close();
});

function open(key: string): ListenProbe {
  const probe = new ListenProbe(grpc, key);
  probes.push(probe);
  return probe;
}

/** `key` with its secret replaced: the right id, the wrong secret. */
function wrongSecret(key: string): string {
  return `${key.slice(0, 17)}${'z'.repeat(32)}`;
}

describe('failed authentication (findings 4 and 9)', () => {
  it('gRPC: 25 calls with an unknown key from one address lock out neither key A nor key B', async () => {
    for (let attempt = 0; attempt < 25; attempt++) {
      const refused = await open(UNKNOWN_KEY).status;
      expect([status.UNAUTHENTICATED, status.RESOURCE_EXHAUSTED]).toContain(refused.code);
    }
    // The address is blocked for unknown keys by now…
    const blocked = await open(UNKNOWN_KEY).status;
    expect(blocked.code).toBe(status.RESOURCE_EXHAUSTED);
    // …and valid keys from the same address still open their streams.
    for (const key of [t.tenant.key, t.other.key]) {
      const probe = open(key);
      probe.ping(7);
      expect((await probe.nextPong()).timestampMs).toBe(7);
    }
  });

  it('gRPC: 25 wrong secrets under key A’s id do not lock key A out', async () => {
    for (let attempt = 0; attempt < 25; attempt++) await open(wrongSecret(t.tenant.key)).status;
    const wrong = await open(wrongSecret(t.tenant.key)).status;
    expect(wrong.code).toBe(status.RESOURCE_EXHAUSTED);
    const probe = open(t.tenant.key);
    probe.ping(8);
    expect((await probe.nextPong()).timestampMs).toBe(8);
  });

  it('REST: repeated bad keys are throttled (429, Retry-After) while valid keys still pass', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 30; attempt++) {
      const answer = await call(t.server.restUrl, 'GET', '/api/v1/auth/whoami', {
        key: `fsk_${String(attempt).padStart(12, 'q')}_${'y'.repeat(32)}`,
      });
      statuses.push(answer.status);
    }
    expect(statuses.slice(0, 20).every((code) => code === 401)).toBe(true);
    const throttled = await call(t.server.restUrl, 'GET', '/api/v1/auth/whoami', {
      key: UNKNOWN_KEY,
    });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    for (const key of [t.tenant.key, t.other.key]) {
      const answer = await call(t.server.restUrl, 'GET', '/api/v1/auth/whoami', { key });
      expect(answer.status).toBe(200);
    }
  });
});
