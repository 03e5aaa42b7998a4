import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memory } from '../support/memories.js';
import { BACKENDS, startTestServer, type TestServer } from '../support/test-server.js';

describe.each(BACKENDS)('InspectorReads on %s', (backend) => {
  let env: TestServer;
  const ids: string[] = [];

  beforeAll(async () => {
    env = await startTestServer(backend);
    const store = env.server.store;
    for (const city of ['Porto', 'Faro', 'Lisbon']) {
      const [row] = await store.insertMemories(env.tenant.clientId, [
        memory({ content: `Alice lives in ${city}.`, subjectKey: 'home_city' }),
      ]);
      ids.push(row?.id ?? '');
    }
    await store.insertMemories(env.other.clientId, [
      memory({ content: 'Not yours.', subjectKey: 'home_city' }),
    ]);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('walks a supersession chain both ways from any of its memories, oldest first', async () => {
    for (const id of ids) {
      const found = await env.server.store.inspector.supersessionChain(env.tenant.clientId, id);
      expect(found?.chain.map((row) => row.content)).toEqual([
        'Alice lives in Porto.',
        'Alice lives in Faro.',
        'Alice lives in Lisbon.',
      ]);
      expect(found?.chain.map((row) => row.supersededBy)).toEqual([ids[1], ids[2], null]);
    }
  });

  it("never reads another tenant's memory", async () => {
    const reads = env.server.store.inspector;
    expect(await reads.supersessionChain(env.other.clientId, ids[0] as string)).toBeUndefined();
    expect(await reads.supersessionChain(env.tenant.clientId, 'not-a-uuid')).toBeUndefined();
    expect(await reads.userMemories(env.other.clientId, 'alice', { limit: 10 })).toHaveLength(1);
  });

  it("pages a user's memories newest first by seq", async () => {
    const reads = env.server.store.inspector;
    const first = await reads.userMemories(env.tenant.clientId, 'alice', { limit: 2 });
    expect(first.map((row) => row.memory.content)).toEqual([
      'Alice lives in Lisbon.',
      'Alice lives in Faro.',
    ]);
    const rest = await reads.userMemories(env.tenant.clientId, 'alice', {
      limit: 2,
      beforeSeq: first.at(-1)?.seq as number,
    });
    expect(rest.map((row) => row.memory.content)).toEqual(['Alice lives in Porto.']);
  });
});
