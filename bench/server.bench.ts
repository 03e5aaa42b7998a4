// The context server under load, on PGlite and on PostgreSQL: REST batch ingest
// throughput against the raw insert floor of the same rows measured in this run, how
// long extraction trails the last batch, context fetch latency and Listen tool_call →
// bundle latency over a store of 100k memories, against the floor of a bare grpc-js
// echo on loopback; and the resident memory of `foresight serve` at start.
// Prints a table and writes bench/results/server.json. Bounded to about five minutes
// on two cores; cleans up its temp dir and schema even when interrupted.
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBackendSuite, type SuiteConfig } from './support/backend-suite.js';
import {
  type BenchResult,
  formatTable,
  roundValue,
  writeResults,
} from './support/bench-results.js';
import type { Backend, BenchServer } from './support/bench-server.js';
import { measureGrpcEcho } from './support/grpc-echo.js';
import { measureStartupRss } from './support/startup-rss.js';

const BACKENDS: readonly Backend[] = ['pglite', 'postgres'];

const CONFIG: Record<Backend, SuiteConfig> = {
  pglite: suiteConfig({
    // PGlite runs in this process on one WASM backend: no gain from concurrent
    // seeding. The budget keeps the whole run near five minutes;
    // if it is hit, the smaller scale is printed and written in the notes.
    seed: { batchSize: 1000, concurrency: 1, budgetMs: 110_000 },
  }),
  postgres: suiteConfig({
    // Each insertMemories is one transaction of a few statements: a few in flight
    // overlap their round trips on the pool.
    seed: { batchSize: 1000, concurrency: 4, budgetMs: 60_000 },
  }),
};

const ECHO = { warmup: 1000, count: 5000 };

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function suiteConfig(overrides: Pick<SuiteConfig, 'seed'>): SuiteConfig {
  return {
    users: 1000,
    memoriesPerUser: 100,
    ingest: {
      messages: 20_000,
      batchSize: 100,
      concurrency: 4,
      warmupBatches: 4,
      turnsPerConversation: 20,
      // About 45 s on PGlite when the machine is idle; only a contended run hits it.
      budgetMs: 50_000,
    },
    fetch: { warmup: 50, requests: 500 },
    events: { warmup: 50, count: 500 },
    ...overrides,
  };
}

const started = performance.now();
// Other processes on a two-core machine skew every number: record how busy it was.
const loadAtStart = loadavg()[0] ?? 0;
const log = (line: string) =>
  console.log(`  [${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);

// Interrupted runs still remove their temp dir and drop their schema.
const open = new Set<BenchServer>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: cleaning up`);
    void Promise.allSettled([...open].map((server) => server.close())).then(() =>
      process.exit(130),
    );
  });
}

// One conversation per bench user, shared by ingest (which creates it) and the events.
const conversations = new Map<number, string>();
const conversationOf = (user: number) => {
  let id = conversations.get(user);
  if (!id) {
    id = randomUUID();
    conversations.set(user, id);
  }
  return id;
};

const results: BenchResult[] = [];
log('server RSS at start (foresight serve, compiled, a process of its own)');
for (const [backend, rss] of await measureStartupRss(BACKENDS, { log })) {
  const notes = (runs: number[]) =>
    `median of ${runs.length} starts (${runs.map((value) => value.toFixed(0)).join(', ')} MiB): ` +
    'VmRSS of `node dist/src/cli.js serve` 1 s after it printed where it listens';
  results.push(
    {
      name: 'server RSS at start, new store',
      unit: 'MiB',
      value: median(rss.firstStartMiB),
      backend,
      notes: `${notes(rss.firstStartMiB)}; each an empty data directory or schema`,
    },
    {
      name: 'server RSS at start, existing store',
      unit: 'MiB',
      value: median(rss.restartMiB),
      backend,
      notes: `${notes(rss.restartMiB)}; the same store each time`,
    },
  );
}

log(`gRPC echo × ${ECHO.count}`);
const echo = await measureGrpcEcho(ECHO);
// Client and server share this process, as the server measurements' clients do too.
const echoNotes = `bare grpc-js bidi stream on loopback in this process, HeartbeatPing → HeartbeatPong, one at a time, ${ECHO.count} after ${ECHO.warmup} warm-up`;
results.push(
  { name: 'gRPC echo RTT p50', unit: 'ms', value: echo.p50, backend: 'none', notes: echoNotes },
  { name: 'gRPC echo RTT p99', unit: 'ms', value: echo.p99, backend: 'none', notes: echoNotes },
);

for (const backend of BACKENDS) {
  const suite = await runBackendSuite({
    backend,
    config: CONFIG[backend],
    conversationOf,
    log,
    track: (server) => open.add(server),
  });
  results.push(...suite.results, {
    name: 'tool_call → bundle p50 / echo p50',
    unit: 'x',
    value: suite.eventToBundle.p50 / echo.p50,
    backend,
    notes: 'how many bare loopback round trips one event → bundle costs',
    baseline: { name: 'gRPC echo RTT p50 (ms)', value: roundValue(echo.p50) },
  });
}

const machineNotes = `1-minute load average on ${cpus().length} CPUs`;
results.push(
  {
    name: 'machine load before the run',
    unit: 'load',
    value: loadAtStart,
    backend: 'none',
    notes: `${machineNotes}; well above 0 means other processes competed for the CPUs and every number above is pessimistic`,
  },
  {
    name: 'machine load at the end',
    unit: 'load',
    value: loadavg()[0] ?? 0,
    backend: 'none',
    notes: `${machineNotes}; includes this bench's own one to two busy cores`,
  },
);

const rounded = results.map((result) => ({ ...result, value: roundValue(result.value) }));
const output = join(dirname(fileURLToPath(import.meta.url)), 'results', 'server.json');
writeResults(output, rounded);
console.log(`\n${formatTable(rounded)}\n`);
console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s; wrote ${output}`);
