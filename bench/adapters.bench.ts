// The per-call overhead each Foresight adapter adds to a model call, against the bare
// mock model call and against the framework's own floor (a pass-through no-op middleware
// or callback handler), in µs and %: AI SDK generateText and streamText on ai@7 and ai@6,
// and a LangChain chat model's invoke and stream. The client is real: an embedded
// server, a listening gRPC client, and a bundle already cached for the conversation, so
// injection formats a real context block. Prints a table and writes
// bench/results/adapters.json (`reportResults`). A benchmark: it measures; it never passes
// or fails. `BENCH_ADAPTER_CALLS` sets the timed calls per variant (default 20000).
//
// Run: `npx tsx bench/adapters.bench.ts` (or `npm run bench adapters`).
import { cpus, loadavg } from 'node:os';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import * as ai7 from 'ai';
import { convertArrayToReadableStream, MockLanguageModelV4 } from 'ai/test';
import * as ai6 from 'ai6';
import { MockLanguageModelV3 } from 'ai6/test';
import { foresightMiddleware } from '../adapters/ai-sdk/index.js';
import { ForesightCallbackHandler } from '../adapters/langchain/index.js';
import type { ConversationTracker } from '../src/tracker/index.js';
import { CONTEXT_OPEN_TAG } from '../src/tracker/index.js';
import { type AdapterFixture, startAdapterFixture } from './support/adapter-fixture.js';
import { measureInterleaved, overheadRows, type Variant } from './support/adapter-overhead.js';
import { type BenchResult, reportResults } from './support/bench-results.js';

/** Timed calls per variant; `BENCH_ADAPTER_CALLS` lowers it for a quick look (the figures get noisier). */
const CALLS = positiveInteger(process.env.BENCH_ADAPTER_CALLS) ?? 20_000;
const WARMUP_CALLS = Math.min(2_000, CALLS);
const BLOCK_SIZE = Math.min(500, CALLS);
/** Fresh trackers timed for the first-call cost: each pays recording and an event once. */
const FIRST_CALLS = 20;

const SYSTEM = 'You are a travel agent.';
const USER_TEXT = 'Book me a flight to Lisbon';
const REPLY = 'Booked your aisle seat to Lisbon.';

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};
const finishReason = { unified: 'stop' as const, raw: undefined };
const generated = {
  content: [{ type: 'text' as const, text: REPLY }],
  finishReason,
  usage,
  warnings: [],
};
/** A new stream each call: a ReadableStream can be read once. Words as deltas, like a provider. */
const streamed = () => ({
  stream: convertArrayToReadableStream([
    { type: 'stream-start' as const, warnings: [] },
    { type: 'text-start' as const, id: 't1' },
    ...REPLY.split(/(?<= )/).map((delta) => ({ type: 'text-delta' as const, id: 't1', delta })),
    { type: 'text-end' as const, id: 't1' },
    { type: 'finish' as const, finishReason, usage },
  ]),
});

function positiveInteger(text: string | undefined): number | undefined {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

function formatLoad(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

/** True when the mock's latest call had the context block in its system message. */
function sawContext(calls: readonly { prompt: readonly { role: string; content: unknown }[] }[]) {
  const system = calls.at(-1)?.prompt.find((message) => message.role === 'system');
  return typeof system?.content === 'string' && system.content.includes(CONTEXT_OPEN_TAG);
}

/** A middleware that passes everything through: what any middleware costs in the SDK. */
const noopMiddleware7: ai7.LanguageModelMiddleware = {
  specificationVersion: 'v3',
  transformParams: async ({ params }) => params,
  wrapGenerate: async ({ doGenerate }) => doGenerate(),
  wrapStream: async ({ doStream }) => doStream(),
};
const noopMiddleware6: ai6.LanguageModelMiddleware = {
  specificationVersion: 'v3',
  transformParams: async ({ params }) => params,
  wrapGenerate: async ({ doGenerate }) => doGenerate(),
  wrapStream: async ({ doStream }) => doStream(),
};

/**
 * A handler that does nothing, awaited like ForesightCallbackHandler (`_awaitHandler`),
 * so the floor includes LangChain's dispatch of the same two callbacks.
 */
class NoopCallbackHandler extends BaseCallbackHandler {
  name = 'NoopCallbackHandler';
  constructor() {
    super({ _awaitHandler: true });
  }
  override handleChatModelStart(): void {}
  override handleLLMEnd(): void {}
}

interface Group {
  name: string;
  variants: Variant[];
  /** Makes one first call through a fresh adapter (new tracker) and answers its tracker. */
  firstCall: () => Promise<{ ms: number; tracker: ConversationTracker }>;
  /** The steady-state Foresight adapter's tracker, and whether the model last saw context. */
  foresight: () => { tracker: ConversationTracker; injected: boolean };
}

type PromptCalls = { prompt: readonly { role: string; content: unknown }[] }[];

/**
 * The three variants of one AI SDK call, bare, behind a no-op middleware (the SDK's own
 * floor) and behind Foresight, plus a first call through a fresh adapter. Each mock
 * remembers its calls; they are dropped between blocks so memory stays flat.
 */
function aiSdkGroup<Model>(spec: {
  name: string;
  run: (model: Model) => Promise<void>;
  models: Record<'bare' | 'noop' | 'foresight', Model>;
  calls: Record<'bare' | 'noop' | 'foresight', () => PromptCalls>;
  tracker: ConversationTracker;
  fresh: () => { model: Model; tracker: ConversationTracker };
}): Group {
  const variant = (name: string, key: 'bare' | 'noop' | 'foresight'): Variant => ({
    name,
    call: () => spec.run(spec.models[key]),
    reset: () => clear(spec.calls[key]()),
  });
  return {
    name: spec.name,
    variants: [
      variant('bare', 'bare'),
      variant('no-op', 'noop'),
      variant('foresight', 'foresight'),
    ],
    firstCall: async () => {
      const { model, tracker } = spec.fresh();
      const started = performance.now();
      await spec.run(model);
      return { ms: performance.now() - started, tracker };
    },
    foresight: () => ({ tracker: spec.tracker, injected: sawContext(spec.calls.foresight()) }),
  };
}

function aiSdk7Group(
  fixture: AdapterFixture,
  name: string,
  mock: () => MockLanguageModelV4,
  run: (model: ai7.LanguageModel) => Promise<void>,
  calls: (model: MockLanguageModelV4) => PromptCalls,
): Group {
  const identity = { userId: fixture.userId, threadId: fixture.threadId };
  const [bare, noop, wrapped] = [mock(), mock(), mock()];
  const middleware = foresightMiddleware(fixture.client, { identity, awaitContextMs: 0 });
  return aiSdkGroup<ai7.LanguageModel>({
    name,
    run,
    models: {
      bare,
      noop: ai7.wrapLanguageModel({ model: noop, middleware: noopMiddleware7 }),
      foresight: ai7.wrapLanguageModel({ model: wrapped, middleware }),
    },
    calls: { bare: () => calls(bare), noop: () => calls(noop), foresight: () => calls(wrapped) },
    tracker: middleware.tracker,
    fresh: () => {
      const fresh = foresightMiddleware(fixture.client, { identity, awaitContextMs: 0 });
      return {
        model: ai7.wrapLanguageModel({ model: mock(), middleware: fresh }),
        tracker: fresh.tracker,
      };
    },
  });
}

function aiSdk7Generate(fixture: AdapterFixture): Group {
  const messages: ai7.ModelMessage[] = [{ role: 'user', content: USER_TEXT }];
  return aiSdk7Group(
    fixture,
    'ai@7 generateText',
    () => new MockLanguageModelV4({ doGenerate: async () => generated }),
    async (model) => {
      await ai7.generateText({ model, system: SYSTEM, messages });
    },
    (mock) => mock.doGenerateCalls,
  );
}

function aiSdk7Stream(fixture: AdapterFixture): Group {
  const messages: ai7.ModelMessage[] = [{ role: 'user', content: USER_TEXT }];
  return aiSdk7Group(
    fixture,
    'ai@7 streamText',
    () => new MockLanguageModelV4({ doStream: async () => streamed() }),
    // Read to the end: the adapter's work (observing parts, recording the text) is in the stream.
    async (model) => {
      const result = ai7.streamText({ model, system: SYSTEM, messages });
      let text = '';
      for await (const delta of result.textStream) text += delta;
      if (text !== REPLY) throw new Error(`streamText gave ${JSON.stringify(text)}`);
    },
    (mock) => mock.doStreamCalls,
  );
}

function aiSdk6Group(
  fixture: AdapterFixture,
  name: string,
  mock: () => MockLanguageModelV3,
  run: (model: ai6.LanguageModel) => Promise<void>,
  calls: (model: MockLanguageModelV3) => PromptCalls,
): Group {
  const identity = { userId: fixture.userId, threadId: fixture.threadId };
  const [bare, noop, wrapped] = [mock(), mock(), mock()];
  const middleware = foresightMiddleware(fixture.client, { identity, awaitContextMs: 0 });
  return aiSdkGroup<ai6.LanguageModel>({
    name,
    run,
    models: {
      bare,
      noop: ai6.wrapLanguageModel({ model: noop, middleware: noopMiddleware6 }),
      foresight: ai6.wrapLanguageModel({ model: wrapped, middleware }),
    },
    calls: { bare: () => calls(bare), noop: () => calls(noop), foresight: () => calls(wrapped) },
    tracker: middleware.tracker,
    fresh: () => {
      const fresh = foresightMiddleware(fixture.client, { identity, awaitContextMs: 0 });
      return {
        model: ai6.wrapLanguageModel({ model: mock(), middleware: fresh }),
        tracker: fresh.tracker,
      };
    },
  });
}

function aiSdk6Generate(fixture: AdapterFixture): Group {
  const messages: ai6.ModelMessage[] = [{ role: 'user', content: USER_TEXT }];
  return aiSdk6Group(
    fixture,
    'ai@6 generateText',
    () => new MockLanguageModelV3({ doGenerate: async () => generated }),
    async (model) => {
      await ai6.generateText({ model, system: SYSTEM, messages });
    },
    (mock) => mock.doGenerateCalls,
  );
}

function aiSdk6Stream(fixture: AdapterFixture): Group {
  const messages: ai6.ModelMessage[] = [{ role: 'user', content: USER_TEXT }];
  return aiSdk6Group(
    fixture,
    'ai@6 streamText',
    () => new MockLanguageModelV3({ doStream: async () => streamed() }),
    async (model) => {
      const result = ai6.streamText({ model, system: SYSTEM, messages });
      let text = '';
      for await (const delta of result.textStream) text += delta;
      if (text !== REPLY) throw new Error(`ai@6 streamText gave ${JSON.stringify(text)}`);
    },
    (mock) => mock.doStreamCalls,
  );
}

function langChainGroup(fixture: AdapterFixture, mode: 'invoke' | 'stream'): Group {
  const identity = { userId: fixture.userId, threadId: fixture.threadId };
  const messages: BaseMessage[] = [new SystemMessage(SYSTEM), new HumanMessage(USER_TEXT)];
  const mock = () => new FakeListChatModel({ responses: [REPLY] });
  const [bare, noop, wrapped] = [mock(), mock(), mock()];
  const noopHandler = new NoopCallbackHandler();
  const handler = new ForesightCallbackHandler(fixture.client, { identity });
  const invoke = async (model: FakeListChatModel, callbacks: BaseCallbackHandler[] | undefined) => {
    const options = callbacks ? { callbacks } : undefined;
    if (mode === 'invoke') {
      await model.invoke(messages, options);
      return;
    }
    // Read to the end: the handler records the reply when the stream ends.
    let text = '';
    for await (const chunk of await model.stream(messages, options)) text += chunk.text;
    if (text !== REPLY) throw new Error(`LangChain stream gave ${JSON.stringify(text)}`);
  };
  return {
    name: `LangChain ${mode}`,
    variants: [
      { name: 'bare', call: () => invoke(bare, undefined) },
      { name: 'no-op', call: () => invoke(noop, [noopHandler]) },
      { name: 'foresight', call: () => invoke(wrapped, [handler]) },
    ],
    firstCall: async () => {
      const fresh = new ForesightCallbackHandler(fixture.client, { identity });
      const started = performance.now();
      await invoke(mock(), [fresh]);
      return { ms: performance.now() - started, tracker: fresh.tracker };
    },
    // Callbacks cannot change a prompt: the handler records, it does not inject.
    foresight: () => ({ tracker: handler.tracker, injected: true }),
  };
}

function clear(calls: unknown[]): void {
  calls.length = 0;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = formatLoad();
  console.log(
    `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}); loadavg 1/5/15 min before: ${loadBefore}`,
  );
  const fixture = await startAdapterFixture();
  const results: BenchResult[] = [];
  try {
    const groups = [
      aiSdk7Generate(fixture),
      aiSdk7Stream(fixture),
      aiSdk6Generate(fixture),
      aiSdk6Stream(fixture),
      langChainGroup(fixture, 'invoke'),
      langChainGroup(fixture, 'stream'),
    ];
    for (const group of groups) {
      // One call each first, then wait for the recording it started: the turns are then
      // known to the tracker, so every timed call below is the steady state (deduped).
      for (const variant of group.variants) await variant.call();
      const { tracker } = group.foresight();
      await tracker.flush();
      if (!group.foresight().injected) throw new Error(`${group.name}: no context was injected`);
      const recordedBefore = tracker.stats().recorded;

      const groupStarted = performance.now();
      const summaries = await measureInterleaved(group.variants, {
        warmupCalls: WARMUP_CALLS,
        calls: CALLS,
        blockSize: BLOCK_SIZE,
      });
      await tracker.flush();
      const stats = tracker.stats();
      const { injected } = group.foresight();
      const failures = Object.values(stats.failures).reduce((sum, count) => sum + count, 0);
      if (!injected || failures > 0 || stats.recorded !== recordedBefore) {
        throw new Error(
          `${group.name}: not the steady state: ${JSON.stringify({ injected, stats })}`,
        );
      }
      console.log(
        `${group.name}: ${((performance.now() - groupStarted) / 1000).toFixed(1)} s; tracker recorded ${stats.recorded} turns in all (none while timed), deduped ${stats.deduped}, events sent ${stats.eventsSent}`,
      );
      const steady =
        `p50/mean of ${CALLS / 1000}k calls per variant, timed one by one, in interleaved blocks of ` +
        `${BLOCK_SIZE} (rotating order) after ${WARMUP_CALLS / 1000}k warm-up calls each; mock model, ` +
        `real client with a bundle cached for the conversation (awaitContextMs 0). Steady state: ` +
        `the same history every call, so after the first call its turns are deduped and no REST ` +
        `call or event is made; first-call cost reported separately`;
      const langChainNote = group.name.startsWith('LangChain')
        ? '; the callback handler records only (callbacks cannot change a prompt), no injection'
        : '; the Foresight middleware injects the context block into the system prompt';
      results.push(
        ...overheadRows(
          group.name,
          summaries,
          [
            ['no-op', 'bare'],
            ['foresight', 'bare'],
            ['foresight', 'no-op'],
          ],
          steady + langChainNote,
        ),
      );

      // First calls last, so the events they send (and the bundles the server builds in
      // answer) cannot disturb the steady-state timing above.
      const firstMs: number[] = [];
      for (let index = 0; index < FIRST_CALLS; index++) {
        const first = await group.firstCall();
        firstMs.push(first.ms);
        // Untimed: the fire-and-forget recording and event settle before the next one.
        await first.tracker.flush();
      }
      const bareP50 = summaries.get('bare')?.p50 ?? Number.NaN;
      const firstUs = median(firstMs) * 1000;
      const firstNote =
        `median of ${FIRST_CALLS} first calls, each through a fresh adapter (new tracker) on the ` +
        `same conversation: records the 2 turns (REST, fire-and-forget, so only starting it is ` +
        `timed; the server dedupes by idempotency key) and sends a user_message event over gRPC` +
        (group.name.startsWith('LangChain') ? '' : ', then injects from the cache');
      results.push(
        {
          name: `${group.name}: foresight first call p50`,
          unit: 'µs/call',
          value: firstUs,
          backend: 'pglite',
          notes: firstNote,
        },
        {
          name: `${group.name}: foresight first call − bare p50`,
          unit: 'µs/call',
          value: firstUs - bareP50,
          backend: 'pglite',
          notes: firstNote,
        },
      );
    }
  } finally {
    await fixture.close();
  }
  const loadAfter = formatLoad();
  const elapsed = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`loadavg 1/5/15 min after: ${loadAfter}; whole run ${elapsed} s\n`);
  results.push({
    name: 'loadavg 1 min, after the run',
    unit: 'load',
    value: loadavg()[0] ?? Number.NaN,
    backend: 'none',
    notes: `os.loadavg() 1/5/15 min: before ${loadBefore}, after ${loadAfter}; ${cpus().length} CPUs; node ${process.version}; run ${elapsed} s`,
  });
  reportResults('adapters', results);
}

await main();
