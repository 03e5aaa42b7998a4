// How anticipation retrieval grows with the store: the engine's anticipate() for
// tool calls and user turns, timed at 10k, 100k and 1M memories in one PGlite store
// that grows between the steps (100 memories a user, so users grow with it). Beside
// it, at each size, one call of the search the engine used to run eight times per
// event (store.searchMemories).
// Sizes: RETRIEVAL_SIZES (comma-separated, default 10000,100000,1000000).
// Prints a table and writes bench/results/retrieval-scale.json.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnticipationEvent } from '../src/engine/anticipator.js';
import { MemoryAnticipator } from '../src/engine/memory-anticipator.js';
import { silentLogger } from '../src/store/database.js';
import { migrate } from '../src/store/migrate.js';
import { PgliteDatabase } from '../src/store/pglite-database.js';
import { SqlStore } from '../src/store/sql-store.js';
import {
  type BenchResult,
  formatTable,
  roundValue,
  writeResults,
} from './support/bench-results.js';
import { bulkSeedMemories } from './support/bulk-seed.js';
import { summarize } from './support/latency-summary.js';
import { benchUserId } from './support/memory-corpus.js';

const SIZES = (process.env.RETRIEVAL_SIZES ?? '10000,100000,1000000')
  .split(',')
  .map((size) => Number(size.trim()))
  .filter((size) => Number.isInteger(size) && size > 0)
  .sort((a, b) => a - b);
const PER_USER = 100;
const WARMUP = 50;
const SAMPLES = 600;
const CLIENT = 'bench-client';

// The shapes of event agents send most: tool calls with entities, and user turns.
const EVENTS: Pick<AnticipationEvent, 'eventType' | 'toolName' | 'toolArgs' | 'content'>[] = [
  {
    eventType: 'tool_call',
    toolName: 'book_flight',
    toolArgs: { destination: 'Lisbon' },
    content: '',
  },
  {
    eventType: 'tool_call',
    toolName: 'find_restaurant',
    toolArgs: { city: 'Paris', cuisine: 'Thai' },
    content: '',
  },
  {
    eventType: 'tool_call',
    toolName: 'schedule_meeting',
    toolArgs: { with: 'Maria', topic: 'budget review' },
    content: '',
  },
  {
    eventType: 'user_message',
    toolName: '',
    toolArgs: null,
    content: 'Can you find me a hotel near the cathedral for the conference?',
  },
];

const started = performance.now();
const loadAtStart = loadavg()[0] ?? 0;
const log = (line: string) =>
  console.log(`  [${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

const dataDir = mkdtempSync(join(tmpdir(), 'foresight-retrieval-'));
process.once('SIGINT', () => {
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(130);
});
const database = await PgliteDatabase.open({ dataDir, logger: silentLogger });
const results: BenchResult[] = [];
try {
  await migrate(database, { logger: silentLogger });
  const store = new SqlStore(database, silentLogger);
  await store.upsertClient({ id: CLIENT, name: CLIENT, mode: 'b2c' });
  const engine = new MemoryAnticipator({ store });
  let users = 0;
  for (const size of SIZES) {
    const targetUsers = size / PER_USER;
    const seedStarted = performance.now();
    await bulkSeedMemories(database, CLIENT, {
      users: targetUsers - users,
      firstUser: users,
      memoriesPerUser: PER_USER,
      seed: size,
      log,
    });
    users = targetUsers;
    log(
      `${size.toLocaleString('en')} memories (${((performance.now() - seedStarted) / 1000).toFixed(0)} s to seed)`,
    );

    const anticipate = (at: number) => {
      const shape = EVENTS[at % EVENTS.length] as (typeof EVENTS)[number];
      return engine.anticipate(CLIENT, {
        ...shape,
        eventId: `bench-${at}`,
        conversationId: '',
        userId: benchUserId((at * 7919) % users),
        customerId: '',
        role: 'user',
        searchQueries: [],
        contextTypes: [],
      });
    };
    const engineTimes = await time(anticipate);
    // One call of the previous search (it ran 8 of these per event).
    const previousSearch = await time((at) =>
      store.searchMemories(CLIENT, {
        userId: benchUserId((at * 7919) % users),
        customerId: '',
        conversationId: null,
        query: 'lisbon flight seat aisle window',
        types: [],
        limit: 20,
      }),
    );
    const label = size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1000}k`;
    const notes = `PGlite in this process; anticipate() for ${EVENTS.length} event shapes (tool calls and a user turn) over ${users.toLocaleString('en')} users × ${PER_USER} memories; ${SAMPLES} after ${WARMUP} warm-up`;
    results.push(
      {
        name: `anticipate p50 @ ${label}`,
        unit: 'ms',
        value: engineTimes.p50,
        backend: 'pglite',
        notes,
      },
      {
        name: `anticipate p99 @ ${label}`,
        unit: 'ms',
        value: engineTimes.p99,
        backend: 'pglite',
        notes,
      },
      {
        name: `previous search (1 of 8 per event) p50 @ ${label}`,
        unit: 'ms',
        value: previousSearch.p50,
        backend: 'pglite',
        notes:
          'store.searchMemories, the statement the engine ran 8 times per event before retrieval went scope-first in one statement; the planner may AND a GIN scan of every row holding a query word into the scope filter',
      },
    );
    log(
      `${label}: anticipate p50 ${engineTimes.p50.toFixed(2)} ms, p99 ${engineTimes.p99.toFixed(2)} ms; previous search p50 ${previousSearch.p50.toFixed(2)} ms`,
    );
  }
} finally {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}

results.push({
  name: 'machine load before the run',
  unit: 'load',
  value: loadAtStart,
  backend: 'none',
  notes: `1-minute load average on ${cpus().length} CPUs; well above 0 means other processes competed and the figures are pessimistic`,
});
const rounded = results.map((result) => ({ ...result, value: roundValue(result.value) }));
const output = join(dirname(fileURLToPath(import.meta.url)), 'results', 'retrieval-scale.json');
writeResults(output, rounded);
console.log(`\n${formatTable(rounded)}\n`);
console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s; wrote ${output}`);

async function time(run: (at: number) => Promise<unknown>) {
  const samples: number[] = [];
  for (let at = 0; at < WARMUP + SAMPLES; at++) {
    const begun = performance.now();
    await run(at);
    if (at >= WARMUP) samples.push(performance.now() - begun);
  }
  return summarize(samples);
}
