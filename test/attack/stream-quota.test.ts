import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynapServiceClient } from '../../src/gen/synap/v1/synap.js';
import { ListenProbe, synapClient } from '../server/grpc/listen-probe.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Finding 3 (MEDIUM): key A opened 10,100 Listen streams; 10,000 stayed open and every
 * other client was then told "this server holds 10000 open streams". A key now has a
 * share (`maxStreamsPerKey`); here 3, so the attack takes four streams, not 10,100.
 */
let t: TestServer;
let grpc: SynapServiceClient;
const probes: ListenProbe[] = [];

beforeAll(async () => {
  t = await startTestServer('pglite', { maxStreamsPerKey: 3 });
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

async function pongs(probe: ListenProbe): Promise<void> {
  probe.ping(1);
  await probe.nextPong();
}

describe('per-key stream quota (finding 3)', () => {
  it('a key past its share is refused; another key still opens its stream', async () => {
    const mine = [open(t.tenant.key), open(t.tenant.key), open(t.tenant.key)];
    await Promise.all(mine.map(pongs));
    const extra = open(t.tenant.key);
    const refused = await extra.status;
    expect(refused.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(refused.details).toMatch(/this API key holds 3 open streams/);
    const other = open(t.other.key);
    await pongs(other);
    // A slot given back is a slot the key may take again.
    mine[0]?.call.end();
    await mine[0]?.status;
    const again = open(t.tenant.key);
    await pongs(again);
  });
});
