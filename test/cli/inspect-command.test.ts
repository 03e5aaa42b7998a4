import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationIdFrom, createClient } from '../../src/index.js';
import { createServer } from '../../src/server/create-server.js';
import type { Store } from '../../src/store/store.js';
import { memory } from '../support/memories.js';
import { migratedPgliteDir } from '../support/pglite-template.js';
import { spawnCli } from '../support/spawn-cli.js';
import { startTestServer, TEST_DATABASE_URL, type TestServer } from '../support/test-server.js';

const THREAD = 'trip-planning-7';

/**
 * Alice's history in a real server: a recorded conversation, a preference that was
 * superseded by a newer one, a memory of another user, and the bundle pushed for a
 * `book_flight` tool call.
 */
async function seed(server: { restUrl: string; grpcTarget: string; store: Store }, key: string) {
  const conversationId = conversationIdFrom(THREAD);
  const client = createClient({
    url: server.restUrl,
    grpcTarget: server.grpcTarget,
    apiKey: key,
    env: {},
  });
  try {
    const [recorded] = (
      await client.conversation.recordMessages([
        // An assistant turn: extraction reads user turns only, so the memories stay the ones below.
        {
          conversationId,
          userId: 'alice',
          role: 'assistant',
          content: 'Planning your Lisbon trip',
        },
      ])
    ).results;
    const messageId = recorded?.ok ? recorded.messageId : '';
    await server.store.insertMemories('default', [
      memory({ content: 'Prefers window seats', memoryType: 'preferences', subjectKey: 'seat' }),
      memory({ content: 'Prefers aisle seats', memoryType: 'preferences', subjectKey: 'seat' }),
      memory({ content: 'Works at Acme', sourceMessageIds: [messageId] }),
      memory({ content: 'Bob likes trains', userId: 'bob' }),
    ]);
    await client.instance.listen();
    const eventId = await client.instance.sendMessage({
      eventType: 'tool_call',
      conversationId,
      userId: 'alice',
      toolName: 'book_flight',
      toolArgs: { destination: 'Lisbon' },
    });
    const answer = await client.context.waitFor({
      conversationId,
      afterEvent: eventId,
      timeoutMs: 10_000,
    });
    expect(answer.status).toBe('ready');
  } finally {
    await client.close();
  }
}

async function inspect(args: string[]) {
  const cli = spawnCli(['inspect', ...args]);
  const exit = await cli.exited;
  return { code: exit.code, stdout: cli.stdout(), stderr: cli.stderr() };
}

// Each case starts the CLI (tsx) and opens the store: seconds each on a busy machine.
describe('foresight inspect (PGlite)', { timeout: 60_000 }, () => {
  const dataDir = migratedPgliteDir('foresight-inspect-');
  const store = ['--data-dir', dataDir];
  beforeAll(async () => {
    const server = await createServer({
      port: 0,
      grpcPort: 0,
      dataDir,
      logger: pino({ level: 'silent' }),
    });
    try {
      const { key } = await server.apiKeys.create({ clientId: 'default', name: 'test' });
      await seed(server, key);
    } finally {
      // The embedded store is single-process: inspect reads it once the server is gone.
      await server.close();
    }
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("shows a user's memories by type, superseded ones marked, and the bundle with its tool call", async () => {
    const { code, stdout } = await inspect(['--user', 'alice', ...store]);
    expect(code).toBe(0);
    expect(stdout).toContain('user alice (client default)');
    expect(stdout).toContain('Memories (3)');
    expect(stdout).toMatch(/Prefers aisle seats\s*│[^\n]*│[^\n]*│\s*current/);
    expect(stdout).toMatch(/Prefers window seats\s*│[^\n]*│[^\n]*│\s*superseded\s/);
    expect(stdout).toMatch(/│\s*by [0-9a-f]{8}\s*│/);
    expect(stdout).not.toContain('Bob likes trains');
    // Facts come before preferences (the protocol's type order).
    expect(stdout.indexOf('Works at Acme')).toBeLessThan(stdout.indexOf('Prefers aisle seats'));
    expect(stdout).toMatch(/tool_call\s*│[^\n]*\n[^\n]*book_flight/);
    expect(stdout).not.toContain('\u001b[');
    // Piped, the tables fit 80 columns: long texts wrap inside their cells.
    const widest = Math.max(...stdout.split('\n').map((line) => line.length));
    expect(widest).toBeLessThanOrEqual(80);
    expect(widest).toBeGreaterThan(60);
  });

  it('answers the same as JSON for scripts', async () => {
    const { code, stdout } = await inspect(['--user', 'alice', '--json', ...store]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(
      report.memories.map((row: { content: string; current: boolean }) => [
        row.content,
        row.current,
      ]),
    ).toEqual([
      ['Works at Acme', true],
      ['Prefers aisle seats', true],
      ['Prefers window seats', false],
    ]);
    expect(report.bundles).toHaveLength(1);
    expect(report.bundles[0]).toMatchObject({
      conversationId: conversationIdFrom(THREAD),
      bundleType: 'anticipation',
      inReplyTo: {
        eventType: 'tool_call',
        toolName: 'book_flight',
        toolArgs: { destination: 'Lisbon' },
      },
    });
    expect(report.bundles[0].retrievalMs).toBeGreaterThanOrEqual(0);
  });

  it('finds a conversation by the thread id it was recorded under, with the memories extracted from it', async () => {
    const { code, stdout } = await inspect(['--conversation', THREAD, '--json', ...store]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.conversation).toEqual({
      id: conversationIdFrom(THREAD),
      givenId: THREAD,
      userId: 'alice',
      messageCount: 1,
    });
    expect(report.memories.map((row: { content: string }) => row.content)).toEqual([
      'Works at Acme',
    ]);
    expect(report.bundles).toHaveLength(1);
  });

  it('says so plainly when nothing is stored for the user', async () => {
    const { code, stdout } = await inspect(['--user', 'nobody', ...store]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(
      'nothing stored for user nobody in client default: no memories, no bundles',
    );
  });

  it('exits 2 on bad usage: neither or both subjects, a bad --limit', async () => {
    // Refused before the store is opened, so they can run side by side.
    const [neither, both, limit] = await Promise.all([
      inspect(store),
      inspect(['--user', 'alice', '--conversation', THREAD, ...store]),
      inspect(['--user', 'alice', '--limit', '0', ...store]),
    ]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('exactly one of --user <id> or --conversation <id>');
    expect(both.code).toBe(2);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('--limit');
  });
});

describe('foresight inspect (PostgreSQL, while the server runs)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('postgres');
    await seed(t.server, t.tenant.key);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reads the same store flags as serve', async () => {
    const { code, stdout } = await inspect([
      '--user',
      'alice',
      '--json',
      '--database-url',
      TEST_DATABASE_URL,
      '--database-schema',
      t.storeOptions.databaseSchema as string,
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.memories).toHaveLength(3);
    expect(report.bundles[0].inReplyTo.toolArgs).toEqual({ destination: 'Lisbon' });
  });
});
