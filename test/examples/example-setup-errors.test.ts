import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

const root = new URL('../..', import.meta.url).pathname;

/** `npm run example -- <name>`'s script, with the env given (nothing inherited of ours). */
function runExample(
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/run-example.mjs', name], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

describe('an example whose setup is wrong says what to set or start, in one line', {
  timeout: 120_000,
}, () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('pglite');
  });
  afterAll(() => t?.close());

  it.concurrent.each([
    {
      case: 'no server at FORESIGHT_URL',
      env: async () => ({
        FORESIGHT_URL: `http://127.0.0.1:${await closedPort()}`,
        FORESIGHT_API_KEY: 'fsk_devkey000001_abcdefghijklmnopqrstuvwxyz012345',
      }),
      says: /^no context service answers at http:\/\/127\.0\.0\.1:\d+: start one \(npm run foresight -- serve\)/,
    },
    {
      case: 'no FORESIGHT_API_KEY',
      env: async () => ({ FORESIGHT_URL: t.server.restUrl }),
      says: /^FORESIGHT_API_KEY is not set: set it to a key of http/,
    },
    {
      case: 'a key the service refuses',
      env: async () => ({
        FORESIGHT_URL: t.server.restUrl,
        FORESIGHT_GRPC_TARGET: t.server.grpcTarget,
        FORESIGHT_API_KEY: 'fsk_nosuchkey0000_abcdefghijklmnopqrstuvwxyz0123456',
      }),
      says: /refused FORESIGHT_API_KEY: set a key that service issued/,
    },
  ])('$case: exit 1, one line, no stack', async ({ env, says }) => {
    const result = await runExample('ai-sdk-generate-text', await env());
    expect(result.code, result.stderr).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(says);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('lists the examples when given no name, and exits 0', async () => {
    const result = await runExample('', {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ai-sdk-generate-text');
  });
});
