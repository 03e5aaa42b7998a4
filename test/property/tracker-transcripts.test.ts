import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type ForesightClient } from '../../src/index.js';
import { ConversationTracker } from '../../src/tracker/conversation-tracker.js';
import type { TrackedMessage } from '../../src/tracker/message-fingerprint.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { storable } from './junk.js';

/**
 * Random agent transcripts through the conversation tracker, with a real client and a
 * real server (PostgreSQL): histories re-sent whole or in growing prefixes, the same
 * observation twice, messages with equal text at different places, tool calls and
 * tool results interleaved, message ids on some copies and not others, and a second
 * tracker (a restarted process) re-sending what the first already sent. The server
 * must end up with each turn exactly once, in order.
 *
 * `PER_RUN` transcripts run concurrently in each property run;
 * `FORESIGHT_PROPERTY_TRACKER_TRANSCRIPTS` scales the total (default 2 500 transcripts,
 * over 10 000 observed histories).
 */
const TOTAL_TRANSCRIPTS = Number(process.env.FORESIGHT_PROPERTY_TRACKER_TRANSCRIPTS ?? 2_500);
/** Every `observeMessages` call is one generated input: about 4.5 a transcript. */
const MIN_OBSERVATIONS = Number(process.env.FORESIGHT_PROPERTY_TRACKER_OBSERVATIONS ?? 10_000);
const PER_RUN = 50;

let t: TestServer;
let client: ForesightClient;
let transcripts = 0;
let observations = 0;

/** Few distinct texts, so equal turns at different places are common. */
const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('ok', 'yes', 'Book Lisbon', 'Thanks!', ' ok ', 'Done.') },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 40 }).map(storable) },
);

type Step =
  | { kind: 'turn'; role: 'user' | 'assistant'; text: string; asParts: boolean }
  | { kind: 'tool'; name: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('turn' as const),
      role: fc.constantFrom('user' as const, 'assistant' as const),
      text,
      asParts: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('tool' as const),
      name: fc.constantFrom('book_flight', 'search'),
    }),
  },
);

/** How an agent loop hands its history to the tracker over the conversation. */
interface Script {
  steps: Step[];
  /** Cut points (history lengths) in order of observation, may repeat and go back. */
  cuts: number[];
  /** Observations sent by the second tracker instead of the first. */
  restarted: boolean[];
  /** Whether each observation carries message ids. */
  withIds: boolean[];
}

const script: fc.Arbitrary<Script> = fc
  .array(step, { minLength: 1, maxLength: 12 })
  .chain((steps) =>
    fc.record({
      steps: fc.constant(steps),
      cuts: fc.array(fc.integer({ min: 0, max: steps.length }), { minLength: 1, maxLength: 6 }),
      restarted: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      withIds: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    }),
  );

/** The framework's message list for the first `length` steps (tool calls become two messages). */
function history(steps: Step[], length: number, withIds: boolean): TrackedMessage[] {
  const messages: TrackedMessage[] = [{ role: 'system', content: 'You are a travel agent.' }];
  for (const [index, item] of steps.slice(0, length).entries()) {
    const id = withIds ? { id: `m${index}` } : {};
    if (item.kind === 'tool') {
      messages.push({
        role: 'assistant',
        content: [
          { type: 'tool-call', toolCallId: `call-${index}`, toolName: item.name, input: {} },
        ],
        ...id,
      });
      messages.push({
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: `call-${index}`, output: 'ok' }],
      });
      continue;
    }
    messages.push({
      role: item.role,
      content: item.asParts ? [{ type: 'text', text: item.text }] : item.text,
      ...id,
    });
  }
  return messages;
}

/** What the server must hold at the end: each text turn once, in order. */
function expected(steps: Step[], cuts: number[]): { role: string; content: string }[] {
  const seen = Math.max(0, ...cuts);
  return steps
    .slice(0, seen)
    .flatMap((item) =>
      item.kind === 'turn' && item.text.trim() !== ''
        ? [{ role: item.role, content: item.text.trim() }]
        : [],
    );
}

async function play(run: Script): Promise<void> {
  const identity = { threadId: `prop-${randomUUID()}`, userId: 'alice' };
  const first = new ConversationTracker({ client, identity });
  const second = new ConversationTracker({ client, identity });
  for (const [at, cut] of run.cuts.entries()) {
    const tracker = run.restarted[at] ? second : first;
    // A restarted process may see the history only after the first one's writes land.
    if (run.restarted[at]) await first.flush({ timeoutMs: 60_000 });
    tracker.observeMessages(history(run.steps, cut, run.withIds[at] ?? false));
    observations++;
    // Same observation again, as an agent loop does on its next model call.
    if (at % 2 === 0) {
      tracker.observeMessages(history(run.steps, cut, run.withIds[at] ?? false));
      observations++;
    }
  }
  // Generous: 50 transcripts share one loaded machine; a flush that timed out would read
  // the store before the last writes landed.
  const flushed = await Promise.all([
    first.flush({ timeoutMs: 60_000 }),
    second.flush({ timeoutMs: 60_000 }),
  ]);
  if (flushed.some((result) => result.pending > 0))
    throw new Error(`tracker flush timed out: ${JSON.stringify(flushed)}`);
  const failures = [first.stats().failures, second.stats().failures];
  const conversationId = first.identity?.conversationId ?? '';
  const stored = await t.server.store.listMessages(t.tenant.clientId, conversationId, {
    limit: 1000,
  });
  const want = expected(run.steps, run.cuts);
  const got = stored.map((message) => ({ role: message.role, content: message.content }));
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(
      `stored ${JSON.stringify(got)}\nwanted ${JSON.stringify(want)}\nfailures ${JSON.stringify(failures)}\nscript ${JSON.stringify(run)}`,
    );
  }
  transcripts++;
}

beforeAll(async () => {
  t = await startTestServer('postgres', { requestsPerSecond: 1_000_000, requestBurst: 1_000_000 });
  client = createClient({
    url: t.server.restUrl,
    grpcTarget: t.server.grpcTarget,
    apiKey: t.tenant.key,
    env: {},
    logger: { warn: () => undefined },
  });
});

afterAll(async () => {
  await client?.close();
  await t?.close();
});

describe('ConversationTracker over random transcripts', () => {
  it(`stores each turn of ${TOTAL_TRANSCRIPTS} transcripts (${MIN_OBSERVATIONS}+ observed histories) exactly once, in order`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(script, { minLength: PER_RUN, maxLength: PER_RUN }),
        async (runs) => {
          await Promise.all(runs.map(play));
        },
      ),
      {
        numRuns: Math.ceil(TOTAL_TRANSCRIPTS / PER_RUN),
        endOnFailure: true,
        ...(process.env.FC_SEED
          ? { seed: Number(process.env.FC_SEED), path: process.env.FC_PATH }
          : {}),
      },
    );
    process.stdout.write(
      `Tracker property transcripts: ${transcripts}; observations: ${observations}\n`,
    );
    expect(transcripts).toBeGreaterThanOrEqual(TOTAL_TRANSCRIPTS);
    expect(observations).toBeGreaterThanOrEqual(MIN_OBSERVATIONS);
  }, 240_000);
});
