import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callsAnticipatedFromToolCalls, type SessionTrace } from '../../src/demo/session-trace.js';
import { spawnCli } from '../support/spawn-cli.js';

/** The demo's env: no provider key, so the scripted models run whatever the machine has. */
const SCRIPTED = { OPENAI_API_KEY: '' };
const TOOL_EVENT = 'event →   tool_call book_flight {"destination":"Lisbon"}';

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** The memory lines the demo prints after extraction: what a run shows of the history. */
function memoryLines(out: string): string[] {
  return out
    .split('\n')
    .filter((line) => /^ {2}(facts|preferences|episodes|emotions|temporal_events)\s+"/.test(line))
    .sort();
}

const ANTICIPATED_RESULT = (framework: string) =>
  `${framework}: 1 of 1 model call after a tool call got the context anticipated for it (all of them; ` +
  "the first call, before any tool call, had the user turn's)";

async function runDemo(args: string[]) {
  const cli = spawnCli(['demo', ...args], SCRIPTED);
  const exit = await cli.exited;
  expect(exit.code, `stderr: ${cli.stderr()}\nstdout: ${cli.stdout()}`).toBe(0);
  return cli.stdout();
}

async function inspectJson(args: string[]) {
  const cli = spawnCli(['inspect', '--json', ...args]);
  const exit = await cli.exited;
  expect(exit.code, cli.stderr()).toBe(0);
  return JSON.parse(cli.stdout());
}

// Each case runs the CLI (tsx, PGlite) once or more: seconds each, more on a busy machine.
describe('foresight demo', { timeout: 180_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'foresight-demo-'));
  let firstRun = '';
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}-history`, { recursive: true, force: true });
  });

  it('runs an AI SDK and a LangChain session whose model call after book_flight gets the bundle pushed for the tool call', async () => {
    const out = await runDemo(['--data-dir', dataDir]);
    firstRun = out;
    // Piped: plain text, and it says the models are scripted.
    expect(out).not.toContain('\u001b[');
    expect(out).toContain('No OPENAI_API_KEY: both sessions run on scripted models');
    // The seeded history went through the client, and extraction made memories of it.
    expect(out).toContain('recorded  user: "I always fly aisle seats."');
    expect(out).toMatch(/ok {2}\d+ memories for alice/);
    // Every seeded fact became a memory, the travel policy included.
    for (const memory of [
      'Always flies aisle seats',
      'Diet: vegetarian',
      'Always flies economy class on flights under 6 hours',
      'Prefers hotels near the city centre',
    ])
      expect(memoryLines(out).join('\n')).toContain(`"${memory}"`);
    // Each session: the tool_call event with its exact args, and its bundle with latency.
    expect(count(out, TOOL_EVENT)).toBe(2);
    expect(out).toMatch(
      /bundle ← {2}for tool_call book_flight: \d+ items?, pushed \d+ ms after the event/,
    );
    expect(count(out, 'bundle ←  for tool_call book_flight')).toBe(2);
    // The first block is printed in full, once, with the seeded memory in it; later
    // blocks as what changed, so the tool call's contribution stands out.
    const blocks = out
      .split(/\n(?! {14}│)/)
      .filter((chunk) => chunk.includes('│ <foresight_context>'));
    expect(blocks.length).toBeGreaterThan(0);
    expect(new Set(blocks).size, 'a block printed twice').toBe(blocks.length);
    // The seat preference and the diet reach the flight booking's context, in full or
    // as what the tool call's bundle added to the user turn's.
    expect(out).toMatch(/(?:│|\+) > Always flies aisle seats/);
    expect(out).toMatch(/(?:│|\+) > Diet: vegetarian/);
    // In each session the model call after the tool got the tool call's bundle, from the
    // cache or after a bounded wait.
    expect(count(out, 'model call 2: context from the bundle for tool_call book_flight')).toBe(2);
    // The tool call's bundle is shown against the user turn's: what anticipation added.
    expect(
      count(out, 'already in the bundle for user_message; new for tool_call book_flight:'),
    ).toBe(2);
    // The scripted answers are written from the injected block.
    expect(count(out, 'agent Booked your flight to Lisbon. From your profile:')).toBe(2);
    expect(out).toContain(ANTICIPATED_RESULT('AI SDK'));
    expect(out).toContain(ANTICIPATED_RESULT('LangChain'));
    // Run from source: the hint is the repository's spelling of the CLI.
    expect(out).toContain(`npm run foresight -- inspect --user alice --data-dir ${dataDir}`);
  });

  it('then `foresight inspect --user alice` shows her memories and the bundles pushed for book_flight', async () => {
    const table = spawnCli(['inspect', '--user', 'alice', '--data-dir', dataDir]);
    expect((await table.exited).code).toBe(0);
    // 80 columns when piped: long cells wrap.
    expect(table.stdout()).toMatch(/Always flies aisle\s/);
    expect(table.stdout()).toContain('Diet: vegetarian');
    expect(table.stdout()).toMatch(/tool_call\s*│[^\n]*\n[^\n]*book_flight/);

    const report = await inspectJson(['--user', 'alice', '--data-dir', dataDir, '--limit', '100']);
    const memories = report.memories as { type: string; content: string; current: boolean }[];
    expect(memories).toContainEqual(
      expect.objectContaining({
        type: 'preferences',
        content: 'Always flies aisle seats',
        current: true,
      }),
    );
    const bundles = report.bundles as {
      inReplyTo: { eventType: string; toolArgs: unknown } | null;
    }[];
    // Two sessions: a user_message and a tool_call bundle each.
    expect(bundles.filter((bundle) => bundle.inReplyTo?.eventType === 'tool_call')).toEqual([
      expect.objectContaining({
        inReplyTo: expect.objectContaining({ toolArgs: { destination: 'Lisbon' } }),
      }),
      expect.objectContaining({
        inReplyTo: expect.objectContaining({ toolArgs: { destination: 'Lisbon' } }),
      }),
    ]);
  });

  it('a second run reuses the history without recording it twice, and shows what the first showed', async () => {
    const out = await runDemo(['--data-dir', dataDir]);
    expect(out).toContain('already recorded  user: "I always fly aisle seats."');
    expect(count(out, '\n  recorded  ')).toBe(count(firstRun, '\n  recorded  ') - 8);
    // The first run's agent turns did not become memories of the second.
    expect(memoryLines(out)).toEqual(memoryLines(firstRun));
    const seeded = await inspectJson([
      '--conversation',
      'alice-trip-to-berlin',
      '--data-dir',
      dataDir,
    ]);
    expect(seeded.conversation.messageCount).toBe(4);
    const reused = await inspectJson(['--user', 'alice', '--data-dir', dataDir, '--limit', '100']);
    // The sessions ran on a fresh copy of the history: this run's bundles only.
    expect(reused.bundles).toHaveLength(4);
  });

  it('--reset starts from an empty store', async () => {
    const out = await runDemo(['--data-dir', dataDir, '--reset']);
    expect(out).toContain(ANTICIPATED_RESULT('LangChain'));
    const reset = await inspectJson(['--user', 'alice', '--data-dir', dataDir, '--limit', '100']);
    expect(reset.bundles).toHaveLength(4);
  });

  it('exits 2 on a bad flag value, naming the flag', async () => {
    const cli = spawnCli(['demo', '--data-dir', dataDir, '--extraction-timeout', 'soon']);
    expect((await cli.exited).code).toBe(2);
    expect(cli.stderr()).toContain('--extraction-timeout');
  });
});

describe('callsAnticipatedFromToolCalls', () => {
  const base: SessionTrace = {
    framework: 'AI SDK',
    threadId: 't',
    conversationId: 'c',
    model: 'scripted',
    recorded: [],
    events: [],
    modelCalls: [],
    answer: '',
  };
  const toolEvent = { eventId: 'e2', eventType: 'tool_call', toolName: 'book_flight', sentAt: 0 };
  const userEvent = { eventId: 'e1', eventType: 'user_message', sentAt: 0 };

  it('counts only calls whose injected block came from a tool_call bundle (what makes the demo exit 1)', () => {
    const withBlock = {
      block: '<foresight_context>x</foresight_context>',
      waitedMs: 0,
      source: 'cache' as const,
    };
    const trace: SessionTrace = {
      ...base,
      modelCalls: [
        {
          index: 1,
          context: withBlock,
          fromEvent: userEvent,
          systemPrompt: '',
          afterToolCall: false,
        },
        {
          index: 2,
          context: { ...withBlock, block: '' },
          fromEvent: toolEvent,
          systemPrompt: '',
          afterToolCall: true,
        },
      ],
    };
    expect(callsAnticipatedFromToolCalls(trace)).toEqual([]);
    const anticipated = {
      index: 3,
      context: withBlock,
      fromEvent: toolEvent,
      systemPrompt: '',
      afterToolCall: true,
    };
    expect(
      callsAnticipatedFromToolCalls({ ...trace, modelCalls: [...trace.modelCalls, anticipated] }),
    ).toEqual([anticipated]);
  });
});
