// The anticipation hit rate in an AI SDK tool loop against the embedded server (PGlite)
// over 100k memories: for each model call that follows a tool call, was the bundle the
// server anticipated for that tool call already in the client's cache when the call
// started (no wait at all)? And how long before the call had it arrived (the lead time)?
// Tools take 50 ms each, so that is the time the server has. Target: >= 95% hits.
// Prints a table and writes bench/results/anticipation-hit-rate.json. A benchmark: it
// measures; it never passes or fails.
//
// Run: `npx tsx bench/anticipation-hit-rate.bench.ts`. Seeding 100k memories takes about
// 20 s; the loops then take about 10 s by default. Environment:
//   BENCH_HIT_RATE_LOOPS        tool loops (agent turns) measured, default 40
//   BENCH_HIT_RATE_CONCURRENCY  loops running at once, default 1 (one agent); more agents
//                               share the server's one PGlite connection, so each bundle
//                               queues behind the others' anticipations
//   BENCH_HIT_RATE_MEMORIES     memories seeded (100 a user), default 100000
//   BENCH_HIT_RATE_SHARED       conversations at once through ONE wrapped model with the
//                               default settings (each 3 tool calls), default "20,50"
//   BENCH_HIT_RATE_AWAIT_SWEEP  awaitContextMs values to run those cases with as well, to
//                               choose the default from, e.g. "50,100,250,500,1000"; default none
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { createClient } from '../src/index.js';
import { DEFAULT_AWAIT_CONTEXT_MS } from '../src/tracker/index.js';
import { type BenchResult, reportResults } from './support/bench-results.js';
import { type ModelCallContext, runToolLoop } from './support/hit-rate-loop.js';
import { startSeededServer } from './support/hit-rate-server.js';
import { percentile } from './support/latency-summary.js';
import { benchUserId } from './support/memory-corpus.js';
import { runSharedModel } from './support/shared-model-loop.js';

const LOOPS = positiveInteger(process.env.BENCH_HIT_RATE_LOOPS) ?? 40;
const CONCURRENCY = positiveInteger(process.env.BENCH_HIT_RATE_CONCURRENCY) ?? 1;
const MEMORIES = positiveInteger(process.env.BENCH_HIT_RATE_MEMORIES) ?? 100_000;
const MEMORIES_PER_USER = 100;
const WARMUP_LOOPS = Math.min(8, LOOPS);
const TOOL_MS = 50;
const AWAIT_CONTEXT_MS = 50;
const SHARED = integerList(process.env.BENCH_HIT_RATE_SHARED) ?? [20, 50];
const AWAIT_SWEEP = integerList(process.env.BENCH_HIT_RATE_AWAIT_SWEEP) ?? [];

function integerList(text: string | undefined): number[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const values = text.split(',').map((part) => positiveInteger(part.trim()));
  return values.every((value) => value !== undefined) ? (values as number[]) : undefined;
}

/** p10 and p50 of a series; NaN for an empty one (no hit, no wait), never a throw. */
function quantiles(values: readonly number[]): { p10: number; p50: number } {
  if (values.length === 0) return { p10: Number.NaN, p50: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  return { p10: percentile(sorted, 0.1), p50: percentile(sorted, 0.5) };
}

function positiveInteger(text: string | undefined): number | undefined {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

const started = performance.now();
const log = (line: string) =>
  console.log(`  [${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);
const loadBefore = loadavg().map((value) => value.toFixed(2));

const users = Math.max(1, Math.round(MEMORIES / MEMORIES_PER_USER));
log(`seeding ${(users * MEMORIES_PER_USER).toLocaleString('en-US')} memories (${users} users)`);
const seeded = await startSeededServer({ users, memoriesPerUser: MEMORIES_PER_USER, log });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void seeded.close().finally(() => process.exit(130));
  });
}
const client = createClient({
  url: seeded.server.restUrl,
  grpcTarget: seeded.server.grpcTarget,
  apiKey: seeded.key,
  // No FORESIGHT_* variables of the shell may change what is measured.
  env: {},
});
const results: BenchResult[] = [];
try {
  await client.instance.listen();
  const run = randomUUID().slice(0, 8);
  /** Runs loops `from` .. `to - 1`, `CONCURRENCY` at a time; answers every model call. */
  const runLoops = async (from: number, to: number) => {
    const calls: ModelCallContext[] = [];
    let next = from;
    const worker = async () => {
      for (let loop = next++; loop < to; loop = next++) {
        const outcome = await runToolLoop({
          client,
          // Users spread over the store, so retrieval runs over everyone's memories.
          userId: benchUserId((loop * 37) % users),
          threadId: `hit-rate-${run}-${loop}`,
          seed: loop + 1,
          toolMs: TOOL_MS,
          awaitContextMs: AWAIT_CONTEXT_MS,
        });
        const failures = Object.values(outcome.stats.failures).reduce((sum, n) => sum + n, 0);
        if (failures > 0) throw new Error(`loop ${loop}: ${JSON.stringify(outcome.stats)}`);
        calls.push(...outcome.calls);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return calls;
  };

  log(`${WARMUP_LOOPS} warm-up loops (not counted)`);
  await runLoops(0, WARMUP_LOOPS);
  log(`${LOOPS} loops, ${CONCURRENCY} at a time, tools ${TOOL_MS} ms each`);
  const measuredFrom = performance.now();
  const calls = await runLoops(WARMUP_LOOPS, WARMUP_LOOPS + LOOPS);
  const loopSeconds = (performance.now() - measuredFrom) / 1000;

  const afterTool = calls.filter((call) => call.step > 0);
  const hits = afterTool.filter((call) => call.context.anticipation === 'cached');
  const arrived = afterTool.filter((call) => call.context.anticipation === 'arrived');
  const missed = afterTool.filter((call) => call.context.anticipation === 'missed');
  const leads = quantiles(hits.map((call) => call.context.staleMs ?? 0));
  const waits = quantiles(arrived.map((call) => call.context.waitedMs));
  const withBlock = afterTool.filter((call) => call.context.block !== '').length;
  const share = (part: number) => (afterTool.length === 0 ? 0 : (part / afterTool.length) * 100);

  const notes =
    `${LOOPS} agent turns (ai@7 generateText, mock model scripted to call 3 tools then answer, ` +
    `foresightMiddleware with awaitContextMs ${AWAIT_CONTEXT_MS}), ${CONCURRENCY} at a time, ` +
    `each tool ${TOOL_MS} ms; embedded server (PGlite) over ${seeded.memories.toLocaleString('en-US')} ` +
    `memories of ${users} users; gRPC client in the same process; ${afterTool.length} model ` +
    `calls after a tool call, after ${WARMUP_LOOPS} warm-up turns`;
  const row = (name: string, unit: string, value: number, baseline?: BenchResult['baseline']) =>
    results.push({
      name,
      unit,
      value,
      backend: 'pglite',
      notes,
      ...(baseline ? { baseline } : {}),
    });
  // The time the server had: how long each tool ran.
  const toolTime = { name: 'tool run time', value: TOOL_MS };
  row('hit rate: bundle cached when the call started', '%', share(hits.length));
  row('lead time p50 (bundle arrival → model call)', 'ms', leads.p50, toolTime);
  row('lead time p10', 'ms', leads.p10, toolTime);
  row('arrived during the wait', '%', share(arrived.length));
  row('wait p50 when it arrived during the wait', 'ms', waits.p50);
  row('missed (went on without it)', '%', share(missed.length));
  row('calls after a tool call with a context block', '%', share(withBlock));
  row('model calls after a tool call', 'calls', afterTool.length);
  results.push({
    name: 'seeding',
    unit: 's',
    value: seeded.seedMs / 1000,
    backend: 'pglite',
    notes:
      'multi-row INSERTs straight into the database, then ANALYZE (bench/support/bulk-seed.ts)',
  });
  results.push({
    name: 'measured loops, wall time',
    unit: 's',
    value: loopSeconds,
    backend: 'pglite',
    notes,
  });

  // Many conversations through one wrapped model, as a server of many chats runs it: the
  // default settings (the first awaitContextMs is the default), then each of the sweep.
  const awaits = [undefined, ...AWAIT_SWEEP.filter((value) => value !== DEFAULT_AWAIT_CONTEXT_MS)];
  for (const conversations of SHARED) {
    for (const awaitContextMs of awaits) {
      const label =
        awaitContextMs === undefined ? `default ${DEFAULT_AWAIT_CONTEXT_MS}` : `${awaitContextMs}`;
      const shared = (tag: string) =>
        runSharedModel({
          client,
          conversations,
          userOf: (at) => benchUserId((at * 37 + conversations) % users),
          run: `shared-${run}-${conversations}-${label}-${tag}`,
          toolMs: TOOL_MS,
          ...(awaitContextMs !== undefined ? { awaitContextMs } : {}),
        });
      log(`${conversations} conversations on one wrapped model, awaitContextMs ${label}`);
      await shared('warm-up');
      const outcome = await shared('measured');
      const failures = Object.values(outcome.stats.failures).reduce((sum, n) => sum + n, 0);
      if (failures > 0)
        throw new Error(`shared ${conversations}: ${JSON.stringify(outcome.stats)}`);
      const after = outcome.calls.filter((call) => call.step > 0);
      const carried = after.filter(
        (call) => call.context.anticipation === 'cached' || call.context.anticipation === 'arrived',
      );
      const waits = after.map((call) => call.context.waitedMs).sort((a, b) => a - b);
      const first = outcome.calls.filter((call) => call.step === 0);
      const firstCarried = first.filter((call) => call.context.anticipation !== 'missed');
      const sharedNotes =
        `${conversations} agent turns at once through one wrapped model (ai@7 generateText, ` +
        `one foresightMiddleware, identity per call in providerOptions, awaitContextMs ` +
        `${label}), 3 tools of ${TOOL_MS} ms each then an answer; after one warm-up round; ` +
        `${after.length} model calls after a tool call`;
      const prefix = `${conversations} conversations, one model, awaitContextMs ${label}`;
      const sharedRow = (name: string, unit: string, value: number) =>
        results.push({
          name: `${prefix}: ${name}`,
          unit,
          value,
          backend: 'pglite',
          notes: sharedNotes,
        });
      sharedRow(
        'calls after a tool call with their bundle',
        '%',
        (carried.length / Math.max(1, after.length)) * 100,
      );
      sharedRow(
        'added wait p50 (calls after a tool call)',
        'ms',
        waits.length ? percentile(waits, 0.5) : Number.NaN,
      );
      sharedRow(
        'added wait p95 (calls after a tool call)',
        'ms',
        waits.length ? percentile(waits, 0.95) : Number.NaN,
      );
      sharedRow(
        'first calls (user turn) with their bundle',
        '%',
        (firstCarried.length / Math.max(1, first.length)) * 100,
      );
    }
  }
} finally {
  await client.close({ timeoutMs: 2000 });
  await seeded.close();
}
const loadAfter = loadavg().map((value) => value.toFixed(2));
results.push({
  name: 'loadavg 1 min, after the run',
  unit: 'load',
  value: loadavg()[0] ?? Number.NaN,
  backend: 'none',
  notes: `os.loadavg() 1/5/15 min: before ${loadBefore.join(' / ')}, after ${loadAfter.join(' / ')}; ${cpus().length} CPUs; node ${process.version}`,
});
reportResults('anticipation-hit-rate', results);
console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
