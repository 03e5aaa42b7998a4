import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationIdFrom, createClient } from '../../../src/index.js';
import { DEFAULT_AWAIT_CONTEXT_MS } from '../../../src/tracker/index.js';
import { memory } from '../../support/memories.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const root = new URL('../../..', import.meta.url).pathname;
const AISLE = 'Alice always flies aisle seats';
/** The default client's flush bound at exit in these runs (FORESIGHT_EXIT_FLUSH_MS). */
const EXIT_FLUSH_MS = 1_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** When the process exited, `Date.now()`. */
  exitedAt: number;
}

/**
 * The environment of a user's shell that set only what the issue asks for: every
 * `FORESIGHT_*` of this process is removed first. The test server's gRPC port is
 * ephemeral, so its target is given too (against a server on the default ports,
 * `FORESIGHT_URL`'s host at 8421 is the target without it).
 */
function userEnv(variables: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('FORESIGHT_')) env[name] = value;
  }
  return { ...env, OPENAI_API_KEY: '', ...variables };
}

/**
 * Runs a script as its own process (tsx, as `npm run example` does). The process must
 * end by itself: the kill after `killAfterMs` is a safety net, and shows as a signal.
 */
function runScript(
  script: string,
  env: NodeJS.ProcessEnv,
  options: {
    killAfterMs?: number;
    onStdout?: (text: string, child: ReturnType<typeof spawn>) => void;
  } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', `test/adapters/e2e/scripts/${script}`],
      {
        cwd: root,
        env,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 90_000);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, exitedAt: Date.now() });
    });
  });
}

/** The JSON line a script printed last. */
function outcome<T>(run: Run): T {
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(
      `no JSON outcome; code ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`,
    );
  }
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer('pglite');
  await t.server.store.insertMemories(t.tenant.clientId, [
    memory({ content: AISLE, memoryType: 'preferences' }),
  ]);
});
afterAll(async () => {
  await t?.close();
});

describe('zero wiring: an adapter on the default client, in a script of its own', () => {
  const scripts = [
    { name: 'ai@7 generateText', script: 'ai7-three-lines.ts', threadId: 'three-lines-7' },
    { name: 'ai@6 generateText', script: 'ai6-three-lines.ts', threadId: 'three-lines-6' },
    {
      name: 'LangChain createAgent',
      script: 'langchain-three-lines.ts',
      threadId: 'three-lines-lc',
    },
  ];

  // One after the other: three cold processes at once on two cores would time each
  // other's first connection, not the adapters.
  it.each(scripts)(
    '$name: with only FORESIGHT_URL and FORESIGHT_API_KEY, the call after the tool call gets the memory, the process ends by itself and its turns are delivered',
    async ({ script, threadId }) => {
      const run = await runScript(
        script,
        userEnv({
          FORESIGHT_URL: t.server.restUrl,
          FORESIGHT_API_KEY: t.tenant.key,
          FORESIGHT_GRPC_TARGET: t.server.grpcTarget,
        }),
      );
      expect(run.code, `stderr: ${run.stderr}`).toBe(0);
      const { systems, text } = outcome<{ systems: string[]; text: string }>(run);
      expect(text).toBe('Booked.');
      expect(systems).toHaveLength(2);
      expect(systems[1], 'the model call after the tool call').toContain(AISLE);
      // Nothing flushed by hand: the default client delivered the turns at exit.
      const reader = createClient({
        url: t.server.restUrl,
        grpcTarget: t.server.grpcTarget,
        apiKey: t.tenant.key,
        env: {},
      });
      try {
        const stored = await reader.conversation.contextForPrompt(conversationIdFrom(threadId));
        expect(stored.totalMessageCount).toBeGreaterThanOrEqual(2);
      } finally {
        await reader.close();
      }
    },
    120_000,
  );
});

describe('fail-open in a short script: generateText and streamText answer and the process exits 0', () => {
  const cases = [
    { name: 'gRPC target unreachable', rest: true, grpc: false },
    { name: 'REST down', rest: false, grpc: true },
    { name: 'both down', rest: false, grpc: false },
  ];

  it.concurrent.each(cases)(
    '$name',
    async ({ rest, grpc }) => {
      const run = await runScript(
        'fail-open.ts',
        userEnv({
          FORESIGHT_URL: rest ? t.server.restUrl : `http://127.0.0.1:${await closedPort()}`,
          FORESIGHT_API_KEY: t.tenant.key,
          FORESIGHT_GRPC_TARGET: grpc ? t.server.grpcTarget : `127.0.0.1:${await closedPort()}`,
          FORESIGHT_EXIT_FLUSH_MS: String(EXIT_FLUSH_MS),
        }),
      );
      expect(run.code, `signal ${run.signal}; stderr: ${run.stderr}`).toBe(0);
      const result = outcome<{
        generated: string;
        streamed: string;
        generateMs: number;
        streamMs: number;
        calls: number;
        endedAt: number;
      }>(run);
      expect(result.generated).toBe('Booked.');
      expect(result.streamed).toBe('Booked.');
      expect(result.calls).toBe(4);
      // Generous on purpose: on a loaded 2-core machine the first calls also pay for
      // loading the transport (timers fire late while modules compile). What is ruled out
      // is a call that never settles, and a wait per call on the unreachable service (its
      // connect timeout is 5 s, a REST call's 10 s: 20 s and more over these calls).
      const modelMs = result.generateMs + result.streamMs;
      expect(modelMs).toBeLessThan(result.calls * DEFAULT_AWAIT_CONTEXT_MS + 10_000);
      expect(run.exitedAt - result.endedAt).toBeLessThan(EXIT_FLUSH_MS + 10_000);
      if (!rest) {
        // Said once, at exit: what the default client could not deliver.
        expect(run.stderr).toMatch(/default client at exit: \d+ turns undelivered/);
      }
    },
    120_000,
  );
});

describe('the default client on SIGTERM', () => {
  it('flushes within its bound, says what it could not deliver, then ends by the signal as it would have', async () => {
    let signalled = false;
    const run = await runScript(
      'wait-for-signal.ts',
      userEnv({
        FORESIGHT_URL: `http://127.0.0.1:${await closedPort()}`,
        FORESIGHT_API_KEY: t.tenant.key,
        FORESIGHT_GRPC_TARGET: t.server.grpcTarget,
        FORESIGHT_EXIT_FLUSH_MS: String(EXIT_FLUSH_MS),
      }),
      {
        onStdout: (text, child) => {
          if (!signalled && text.includes('ready')) {
            signalled = true;
            child.kill('SIGTERM');
          }
        },
      },
    );
    expect(signalled).toBe(true);
    expect(run.signal, `code ${run.code}; stderr: ${run.stderr}`).toBe('SIGTERM');
    expect(run.stderr).toMatch(/default client at exit: \d+ turns undelivered/);
  }, 120_000);
});
