import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { memory } from '../support/memories.js';
import { type CliProcess, spawnCli } from '../support/spawn-cli.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';
import { ListenProbe, synapClient } from './grpc/listen-probe.js';

describe('two server processes on one PostgreSQL', () => {
  let a: TestServer;
  let replica: CliProcess;
  // Replica B is another OS process (`foresight serve`) on the same database and schema,
  // with the same key secret: a stateless second replica.
  const b = { restUrl: '', grpcTarget: '' };
  beforeAll(async () => {
    a = await startTestServer('postgres');
    replica = spawnCli(
      [
        'serve',
        '--port',
        '0',
        '--grpc-port',
        '0',
        '--database-url',
        String(a.storeOptions.databaseUrl),
        '--database-schema',
        String(a.storeOptions.databaseSchema),
      ],
      { FORESIGHT_SERVER_SECRET: 'test-secret' },
    );
    b.restUrl = (await replica.waitForLine(/^REST\s+(\S+)$/))[1] as string;
    b.grpcTarget = (await replica.waitForLine(/^gRPC\s+(\S+)$/))[1] as string;
  });
  afterAll(async () => {
    replica?.child.kill('SIGKILL');
    await a?.close();
  });

  const grpcPort = (server: { grpcTarget: string }) => Number(server.grpcTarget.split(':').at(-1));

  it('records through one replica and reads through the other', async () => {
    const conversation = randomUUID();
    const recorded = await call(a.server.restUrl, 'POST', '/v1/conversations/messages', {
      key: a.tenant.key,
      body: {
        conversation_id: conversation,
        role: 'user',
        content: 'I am planning a trip to Lisbon',
        user_id: 'alice',
      },
    });
    expect(recorded.status).toBe(200);
    const forPrompt = await call(
      b.restUrl,
      'GET',
      `/v1/conversations/${conversation}/context-for-prompt`,
      { key: a.tenant.key },
    );
    expect(forPrompt.status).toBe(200);
    expect(forPrompt.body.recent_messages).toMatchObject([
      { message_id: recorded.body.message_id, content: 'I am planning a trip to Lisbon' },
    ]);
    // A retry through the other replica is still the same message.
    const headers = { 'idempotency-key': `replica-${conversation}` };
    const first = await call(a.server.restUrl, 'POST', '/v1/conversations/messages', {
      key: a.tenant.key,
      headers,
      body: {
        conversation_id: conversation,
        role: 'assistant',
        content: 'Lovely city.',
        user_id: 'alice',
      },
    });
    const retry = await call(b.restUrl, 'POST', '/v1/conversations/messages', {
      key: a.tenant.key,
      headers,
      body: {
        conversation_id: conversation,
        role: 'assistant',
        content: 'Lovely city.',
        user_id: 'alice',
      },
    });
    expect(retry.body.message_id).toBe(first.body.message_id);
    expect(await a.server.store.listMessages(a.tenant.clientId, conversation)).toHaveLength(2);
  });

  it('pushes a bundle from replica B built on memories written through replica A, for that user only', async () => {
    await a.server.store.insertMemories(a.tenant.clientId, [
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
    await a.server.store.insertMemories(a.other.clientId, [
      memory({ content: 'Other tenant flies aisle seats to Lisbon', memoryType: 'preferences' }),
    ]);
    const client = synapClient(grpcPort(b));
    const probe = new ListenProbe(client, a.tenant.key);
    try {
      probe.ping(7);
      expect((await probe.nextPong()).timestampMs).toBe(7);
      const eventId = randomUUID();
      probe.send({
        $case: 'conversationEvent',
        value: {
          eventType: 'tool_call',
          conversationId: randomUUID(),
          userId: 'alice',
          role: 'assistant',
          content: '',
          customerId: '',
          sessionId: '',
          metadata: { event_id: eventId },
          timestampMs: Date.now(),
          toolName: 'book_flight',
          toolArgsJson: '{"destination":"Lisbon","seat":"aisle"}',
          searchQueries: [],
          contextTypes: [],
        },
      });
      const bundle = await probe.nextBundle((candidate) => candidate.inReplyToEventId === eventId);
      const contents = Object.values(bundle.itemsByType).flatMap((list) =>
        list.items.map((item) => item.content),
      );
      expect(contents).toContain('Alice always flies aisle seats');
      expect(contents.join(' ')).not.toMatch(/Bob|Other tenant/);
      expect(bundle.anticipationUserId).toBe('alice');
    } finally {
      probe.call.end();
      client.close();
    }
  });

  it('answers a bad event on PostgreSQL with an error signal and keeps the stream', async () => {
    const client = synapClient(grpcPort(b));
    const probe = new ListenProbe(client, a.tenant.key);
    try {
      probe.send({
        $case: 'conversationEvent',
        value: {
          eventType: 'tool_call',
          conversationId: 'not-a-uuid',
          userId: 'alice',
          role: '',
          content: '',
          customerId: '',
          sessionId: '',
          metadata: {},
          timestampMs: 0,
          toolName: 'x',
          toolArgsJson: '',
          searchQueries: [],
          contextTypes: [],
        },
      });
      const signal = await probe.nextSignal('error');
      expect(signal.metadata.field).toBe('conversation_id');
      probe.ping(9);
      expect((await probe.nextPong()).timestampMs).toBe(9);
    } finally {
      probe.call.end();
      client.close();
    }
  });

  it('refuses a wrong key on Listen with UNAUTHENTICATED', async () => {
    const client = synapClient(grpcPort(b));
    const probe = new ListenProbe(client, 'fsk_000000000000_wrongwrongwrongwrongwrongwrongwrong');
    const status = await probe.status;
    expect(status.code).toBe(16);
    client.close();
  });

  it('runs a compaction queued through A whichever replica claims it, visible through B', async () => {
    const conversation = randomUUID();
    await call(a.server.restUrl, 'POST', '/v1/conversations/messages', {
      key: a.tenant.key,
      body: {
        conversation_id: conversation,
        role: 'user',
        content: 'I prefer trains to planes.',
        user_id: 'alice',
      },
    });
    const started = await call(a.server.restUrl, 'POST', '/v1/conversations/compact', {
      key: a.tenant.key,
      body: { conversation_id: conversation, force: true },
    });
    expect(started.status).toBe(200);
    await vi.waitFor(
      async () => {
        const status = await call(
          b.restUrl,
          'GET',
          `/v1/conversations/${conversation}/compaction/status`,
          { key: a.tenant.key },
        );
        expect(status.body.status).toBe('completed');
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it('sends closing to open streams on SIGTERM and exits 0 (replica B)', async () => {
    const client = synapClient(grpcPort(b));
    const probe = new ListenProbe(client, a.tenant.key);
    try {
      probe.ping(11);
      expect((await probe.nextPong()).timestampMs).toBe(11);
      replica.child.kill('SIGTERM');
      expect((await probe.nextSignal('closing')).signalType).toBe('closing');
      expect((await replica.exited).code).toBe(0);
    } finally {
      client.close();
    }
  });
});
