import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deadUrl, outboxClients, storedContents, turn, warningsLogger } from './outbox-fixtures.js';
import { type RestartableServer, startRestartableServer } from './restartable-server.js';

let s: RestartableServer;
let spoolDir: string;
const { client, closeAll } = outboxClients(
  () => s,
  () => ({ spoolDir, baseRetryDelayMs: 10, maxRetryDelayMs: 20 }),
);

beforeAll(async () => {
  s = await startRestartableServer();
});

beforeEach(() => {
  spoolDir = mkdtempSync(join(tmpdir(), 'foresight-spool-'));
});

afterEach(async () => {
  await s.start();
  await closeAll();
  rmSync(spoolDir, { recursive: true, force: true });
});

afterAll(async () => {
  await s?.close();
});

function journals(): string[] {
  return readdirSync(spoolDir).filter((name) => name.endsWith('.jsonl'));
}

describe('client.outbox with spoolDir', () => {
  it('replays what a killed process had queued and delivers each record exactly once', async () => {
    const conversationId = randomUUID();
    const script = new URL('./spool-writer.ts', import.meta.url).pathname;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', script, spoolDir, await deadUrl(), s.tenant.key, conversationId, '20'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    expect(line.toString()).toBe('queued\n');
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(journals()).toHaveLength(1);

    const logger = warningsLogger();
    const next = client({ logger });
    expect(next.outbox.stats()).toMatchObject({ queued: 20, spooled: 20 });
    const result = await next.flush({ timeoutMs: 5_000 });

    expect(result).toMatchObject({ delivered: 20, undelivered: 0 });
    expect(await storedContents(s.server, s.tenant.clientId, conversationId)).toEqual(
      Array.from({ length: 20 }, (_, index) => turn(conversationId, index).content),
    );
    expect(next.outbox.stats().spooled).toBe(0);
    // The dead process's journal was claimed and deleted; ours is empty.
    expect(journals()).toHaveLength(1);
    expect(readFileSync(join(spoolDir, journals()[0] as string), 'utf8')).toBe('');
    expect(logger.messages).toContain(
      'outbox: replaying records left in the spool by an earlier client',
    );
  });

  it('close() leaves undelivered records in the spool; the next client sends them once', async () => {
    const conversationId = randomUUID();
    const first = client();
    first.outbox.enqueue([0, 1, 2].map((index) => turn(conversationId, index)));
    expect((await first.flush({ timeoutMs: 5_000 })).delivered).toBe(3);
    await s.stop();
    first.outbox.enqueue([3, 4, 5, 6].map((index) => turn(conversationId, index)));

    const closed = await first.close({ timeoutMs: 200 });
    expect(closed).toMatchObject({ delivered: 0, undelivered: 4 });
    expect(journals()).toHaveLength(1);

    await s.start();
    const second = client();
    expect(second.outbox.stats().queued).toBe(4);
    expect(await second.close({ timeoutMs: 5_000 })).toMatchObject({
      delivered: 4,
      undelivered: 0,
    });
    expect(await storedContents(s.server, s.tenant.clientId, conversationId)).toEqual(
      Array.from({ length: 7 }, (_, index) => turn(conversationId, index).content),
    );
    // Both journals are gone: each was closed empty or replayed.
    expect(journals()).toEqual([]);
  });

  it('skips a journal line cut short by a crash, and tells the logger', async () => {
    const conversationId = randomUUID();
    await s.stop();
    const first = client();
    first.outbox.enqueue([0, 1].map((index) => turn(conversationId, index)));
    await first.close({ timeoutMs: 50 });
    const [journal] = journals();
    appendFileSync(join(spoolDir, journal as string), '{"p":2,"r":{"conversationId":"');

    await s.start();
    const logger = warningsLogger();
    const second = client({ logger });
    expect(await second.flush({ timeoutMs: 5_000 })).toMatchObject({ delivered: 2 });

    expect(await storedContents(s.server, s.tenant.clientId, conversationId)).toEqual(
      [0, 1].map((index) => turn(conversationId, index).content),
    );
    expect(logger.messages.some((message) => /unreadable lines/.test(message))).toBe(true);
  });

  it('bounds what it replays by the same caps, counting the drops', async () => {
    const conversationId = randomUUID();
    await s.stop();
    const first = client();
    first.outbox.enqueue(Array.from({ length: 10 }, (_, index) => turn(conversationId, index)));
    await first.close({ timeoutMs: 50 });

    await s.start();
    const second = client({ outbox: { maxQueued: 4 } });
    expect(second.outbox.stats()).toMatchObject({ queued: 4, dropped: 6, spooled: 4 });
    expect(await second.flush({ timeoutMs: 5_000 })).toMatchObject({ delivered: 4, dropped: 6 });
    expect(await storedContents(s.server, s.tenant.clientId, conversationId)).toEqual(
      [6, 7, 8, 9].map((index) => turn(conversationId, index).content),
    );
  });

  it('does not replay the journal of a client of this process that is still open', async () => {
    await s.stop();
    const first = client();
    first.outbox.enqueue(turn(randomUUID(), 0));
    const second = client();

    expect(second.outbox.stats().queued).toBe(0);
    expect(first.outbox.stats().spooled).toBe(1);
    expect(journals()).toHaveLength(2);
  });
});
