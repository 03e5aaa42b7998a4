import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationIdFrom } from '../../src/index.js';
import { spawnCli } from '../support/spawn-cli.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

interface Line {
  conversationId: string;
  userId: string;
  messages: { role: string; content: string; timestamp?: string }[];
}

const transcript = (conversationId: string, userId: string, ...contents: string[]): Line => ({
  conversationId,
  userId,
  messages: contents.map((content, at) => ({ role: at % 2 === 0 ? 'user' : 'assistant', content })),
});

let t: TestServer;
let dir: string;
beforeAll(async () => {
  t = await startTestServer('pglite');
  dir = mkdtempSync(join(tmpdir(), 'foresight-ingest-'));
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function ingest(args: string[], env: NodeJS.ProcessEnv = {}) {
  const cli = spawnCli(['ingest', ...args], { FORESIGHT_URL: '', FORESIGHT_API_KEY: '', ...env });
  const exit = await cli.exited;
  return { code: exit.code, stdout: cli.stdout(), stderr: cli.stderr() };
}

async function stored(threadId: string): Promise<string[][]> {
  const rows = await t.server.store.listMessages(t.tenant.clientId, conversationIdFrom(threadId));
  return rows.map((row) => [row.role, row.content]);
}

// Each case starts the CLI (tsx), some twice: seconds each on a busy machine.
describe('foresight ingest', { timeout: 60_000 }, () => {
  it('records JSONL transcripts with plain progress lines when piped, and a re-run records nothing twice', async () => {
    const withTime: Line = {
      conversationId: 'jsonl-a',
      userId: 'alice',
      messages: [
        { role: 'user', content: 'I always fly aisle seats', timestamp: '2026-05-01T09:30:00Z' },
      ],
    };
    const path = file(
      'good.jsonl',
      `${JSON.stringify(withTime)}\n\n${JSON.stringify(transcript('jsonl-b', 'bob', 'Hi', 'Hello Bob', 'Trains please'))}\n`,
    );
    const args = [path, '--url', t.server.restUrl, '--api-key', t.tenant.key];
    const first = await ingest(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      '[1/2] line 1: conversation jsonl-a (user alice), 1 message recorded',
    );
    expect(first.stdout).toContain(
      '[2/2] line 3: conversation jsonl-b (user bob), 3 messages recorded',
    );
    expect(first.stdout).toContain(`ingested 2 transcripts, 4 messages from ${path}`);
    expect(first.stdout).not.toContain('\u001b[');

    const again = await ingest(args);
    expect(again.code, again.stderr).toBe(0);
    expect(await stored('jsonl-a')).toEqual([['user', 'I always fly aisle seats']]);
    expect(await stored('jsonl-b')).toEqual([
      ['user', 'Hi'],
      ['assistant', 'Hello Bob'],
      ['user', 'Trains please'],
    ]);
    const [row] = await t.server.store.listMessages(
      t.tenant.clientId,
      conversationIdFrom('jsonl-a'),
    );
    expect(row?.metadata).toEqual({ timestamp: '2026-05-01T09:30:00Z' });
  });

  it('stops at a bad line naming the line, the field and the rule; earlier lines stay; the fixed file completes without duplicates', async () => {
    const lines = [
      transcript('bad-1', 'alice', 'one'),
      transcript('bad-2', 'alice', 'two', 'two back'),
      {
        conversationId: 'bad-3',
        userId: 'alice',
        messages: [
          { role: 'user', content: 'x' },
          { role: 'bot', content: 'y' },
        ],
      },
      transcript('bad-4', 'alice', 'four'),
    ];
    const path = file('bad.jsonl', lines.map((line) => JSON.stringify(line)).join('\n'));
    const args = [path, '--url', t.server.restUrl, '--api-key', t.tenant.key];
    const failed = await ingest(args);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      `${path}:3: field messages.1.role must be "user" or "assistant"`,
    );
    expect(failed.stderr).toContain(
      '2 transcripts (3 messages) before line 3 were recorded and stay recorded; fix the line and run again',
    );
    expect(await stored('bad-2')).toEqual([
      ['user', 'two'],
      ['assistant', 'two back'],
    ]);
    expect(await stored('bad-3')).toEqual([]);
    expect(await stored('bad-4')).toEqual([]);

    lines[2] = transcript('bad-3', 'alice', 'x', 'y');
    file('bad.jsonl', lines.map((line) => JSON.stringify(line)).join('\n'));
    const fixed = await ingest(args);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(await stored('bad-1')).toEqual([['user', 'one']]);
    expect(await stored('bad-2')).toHaveLength(2);
    expect(await stored('bad-3')).toEqual([
      ['user', 'x'],
      ['assistant', 'y'],
    ]);
    expect(await stored('bad-4')).toEqual([['user', 'four']]);
  });

  it('reads a JSON array, names the line where a bad element starts, and takes FORESIGHT_URL and FORESIGHT_API_KEY', async () => {
    const good = JSON.stringify(transcript('json-a', 'carol', 'From a JSON file'));
    const path = file(
      'array.json',
      `[\n  ${good},\n  {\n    "conversationId": "json-b",\n    "messages": [{"role": "user", "content": "no user"}]\n  }\n]\n`,
    );
    const result = await ingest([path], {
      FORESIGHT_URL: t.server.restUrl,
      FORESIGHT_API_KEY: t.tenant.key,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${path}:3: field userId is required`);
    expect(await stored('json-a')).toEqual([['user', 'From a JSON file']]);
  });

  it('reports what the service refused, by line and field, and a service failure with what stayed recorded', async () => {
    // bad-1 belongs to alice: the server refuses it to another user.
    const path = file('owned.jsonl', JSON.stringify(transcript('bad-1', 'mallory', 'mine now')));
    const refused = await ingest([path, '--url', t.server.restUrl, '--api-key', t.tenant.key]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`${path}:1: message 0, field userId: the service refused it: conflict`),
    );
    expect(await stored('bad-1')).toEqual([['user', 'one']]);

    const badKey = await ingest([
      path,
      '--url',
      t.server.restUrl,
      '--api-key',
      'fsk_nosuchkey0000_abcdefghijklmnopqrstuvwxyz0123456',
    ]);
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain(
      `recording into ${t.server.restUrl} failed after 0 transcripts`,
    );
  });

  it('exits 2 without an API key', async () => {
    const path = file('any.jsonl', JSON.stringify(transcript('usage', 'alice', 'hi')));
    const result = await ingest([path, '--url', t.server.restUrl]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--api-key <key> or FORESIGHT_API_KEY is required');
  });
});
