import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

const root = new URL('../..', import.meta.url).pathname;
const EXAMPLE_FILES = readdirSync(`${root}examples`)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();

const AISLE = 'Always flies aisle seats';
/** The context the scripted model saw after the tool call, and the answer written from it. */
const INJECTED_AFTER_TOOL = [
  new RegExp(`model call 2: context injected \\(Preferences\\): ${AISLE}`),
  new RegExp(`answer.*I remembered: ${AISLE}`),
];
// The examples run side by side on two cores: a bundle may miss its wait there, which
// the tracker reports as `degraded (context)`. Anything else degraded is a failure.
const RECORDED =
  /foresight: recorded [1-9]\d* turns, deduped \d+, sent [1-9]\d* events, 0 failures, status (?:ok|degraded \(context\))$/m;

/** What each example must print; `b2b` ones run with a key of a B2B tenant. */
// `modelless`: the example calls no model (so it neither remembers nor says which model).
const EXPECTED: Record<
  string,
  { b2b?: boolean; modelless?: boolean; prints: RegExp[]; never?: RegExp[] }
> = {
  'ai-sdk-generate-text': { prints: [...INJECTED_AFTER_TOOL, RECORDED] },
  'ai-sdk-stream-text': { prints: [...INJECTED_AFTER_TOOL, /^streamed answer: /m, RECORDED] },
  'ai-sdk-agent': { prints: [...INJECTED_AFTER_TOOL, /agent answer after 2 steps/, RECORDED] },
  'langchain-create-agent': { prints: [...INJECTED_AFTER_TOOL, RECORDED] },
  'langchain-chain': {
    prints: [
      new RegExp(`model call 1: context injected \\(Preferences\\): ${AISLE}`),
      new RegExp(`chain answer: Booked your flight to Porto\\. I remembered: ${AISLE}`),
      RECORDED,
    ],
  },
  'tool-wrapper': {
    prints: [
      /tool result: \{"booked":true,"destination":"Lisbon"/,
      new RegExp(`cached context \\(preferences\\): ${AISLE}`),
    ],
  },
  'b2b-customer': {
    b2b: true,
    prints: [
      new RegExp(`erin's answer: .*I remembered: ${AISLE}`),
      /femi's answer: Booked your flight to Lisbon\.$/m,
      RECORDED,
    ],
    // Femi is of the same customer, but Erin's preference is hers alone.
    never: [/femi's answer: .*aisle/i],
  },
  'hosted-synap': {
    prints: [
      /connected: http:\/\/127\.0\.0\.1:\d+, gRPC 127\.0\.0\.1:\d+ \(tls false\), transport grpc/,
      ...INJECTED_AFTER_TOOL,
      RECORDED,
    ],
    never: [/fsk_/],
  },
  'serverless-outbox': {
    modelless: true,
    prints: [
      /^handler answered 200 before the flush$/m,
      /^flush: delivered 2, undelivered 0, dropped 0$/m,
      /^the service holds 2 turns of this chat$/m,
    ],
  },
  'edge-http-transport': {
    prints: [
      /transport: http/,
      new RegExp(
        `handler response: \\{"text":"Booked your flight to Lisbon\\. I remembered: ${AISLE}\\."\\}`,
      ),
      RECORDED,
    ],
  },
};

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer('pglite');
});
afterAll(async () => {
  await t?.close();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script as its own process (tsx, like `npm run example`), killed after `timeoutMs`. */
function run(
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 60_000,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      // No provider key: the examples must take their scripted models.
      env: { ...process.env, OPENAI_API_KEY: '', FORESIGHT_LOG_LEVEL: 'warn', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('examples/', () => {
  it('has an expectation here for every example file, and a file for every expectation', () => {
    expect(EXAMPLE_FILES).toEqual(Object.keys(EXPECTED).sort());
  });

  it('gives every example a header comment saying what it shows and a README snippet region', async () => {
    const { readFileSync } = await import('node:fs');
    for (const name of EXAMPLE_FILES) {
      const source = readFileSync(`${root}examples/${name}.ts`, 'utf8');
      expect(source, name).toMatch(/^\/\/ \S.*\n\/\/ /);
      expect(source, name).toContain(`npm run example -- ${name}`);
      expect(source, name).toMatch(/\/\/ #region snippet\n[\s\S]+\n\/\/ #endregion/);
    }
  });

  describe.concurrent('each example, run as a process against a real server with scripted models', () => {
    for (const [name, expected] of Object.entries(EXPECTED)) {
      it(`${name} exits 0 and prints what it shows`, async () => {
        const tenant = expected.b2b ? t.b2b : t.tenant;
        const result = await run(['--import', 'tsx', `examples/${name}.ts`], {
          FORESIGHT_URL: t.server.restUrl,
          FORESIGHT_GRPC_TARGET: t.server.grpcTarget,
          FORESIGHT_API_KEY: tenant.key,
        });
        expect(result.code, `${name} stderr: ${result.stderr}\nstdout: ${result.stdout}`).toBe(0);
        if (!expected.modelless) expect(result.stdout).toMatch(/model: scripted|^remembered/m);
        for (const pattern of expected.prints) expect(result.stdout, name).toMatch(pattern);
        for (const pattern of expected.never ?? [])
          expect(result.stdout, name).not.toMatch(pattern);
      }, 90_000);
    }
  });
});

describe('npm run example', () => {
  it('lists the examples: on stdout with exit 0 without a name, on stderr with exit 2 for an unknown one', async () => {
    const listed = await run(['scripts/run-example.mjs'], {});
    expect(listed.code).toBe(0);
    for (const name of EXAMPLE_FILES) expect(listed.stdout).toContain(`  ${name}\n`);
    const unknown = await run(['scripts/run-example.mjs', 'no-such-example'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no example named "no-such-example"');
    for (const name of EXAMPLE_FILES) expect(unknown.stderr).toContain(`  ${name}\n`);
  });

  it('starts an embedded server when FORESIGHT_URL is not set, and runs the example on it', async () => {
    const result = await run(['scripts/run-example.mjs', 'tool-wrapper'], {
      FORESIGHT_URL: undefined,
      FORESIGHT_API_KEY: undefined,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/embedded context server on http:\/\/127\.0\.0\.1:\d+/);
    expect(result.stdout).toMatch(new RegExp(`cached context \\(preferences\\): ${AISLE}`));
  }, 90_000);
});
