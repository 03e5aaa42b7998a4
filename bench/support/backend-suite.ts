import { measureBatchIngest } from './batch-ingest.js';
import { type BenchResult, roundValue } from './bench-results.js';
import { type Backend, type BenchServer, startBenchServer } from './bench-server.js';
import { measureContextFetch } from './context-fetch.js';
import { measureEventToBundle } from './event-to-bundle.js';
import { measureCatchUp } from './extraction-catch-up.js';
import { JsonClient } from './json-client.js';
import type { LatencySummary } from './latency-summary.js';
import { measureRawInsertFloor } from './raw-insert-floor.js';
import { seedMemories } from './seed-memories.js';

export interface SuiteConfig {
  users: number;
  memoriesPerUser: number;
  seed: { batchSize: number; concurrency: number; budgetMs: number };
  ingest: {
    messages: number;
    batchSize: number;
    concurrency: number;
    warmupBatches: number;
    turnsPerConversation: number;
    budgetMs: number;
  };
  fetch: { warmup: number; requests: number };
  events: { warmup: number; count: number };
}

export interface SuiteOutcome {
  results: BenchResult[];
  eventToBundle: LatencySummary;
}

/**
 * Every server measurement on one backend, in an order where each sees the data it
 * needs: ingest first (it creates the conversations the events name), then seeding,
 * then the two read paths over the seeded store. `track` learns of the server at once
 * so an interrupted run can still clean it up.
 */
export async function runBackendSuite(options: {
  backend: Backend;
  config: SuiteConfig;
  conversationOf: (userIndex: number) => string;
  log: (line: string) => void;
  track: (server: BenchServer) => void;
}): Promise<SuiteOutcome> {
  const { backend, config, conversationOf, log } = options;
  // The floor first, on a store of its own, so nothing else runs beside it.
  log(`${backend}: raw insert floor, ${config.ingest.messages.toLocaleString('en-US')} rows`);
  const floor = await measureRawInsertFloor({
    backend,
    users: config.users,
    conversationOf,
    ...config.ingest,
  });
  const bench = await startBenchServer(backend);
  options.track(bench);
  const client = new JsonClient({ baseUrl: bench.server.restUrl, key: bench.key });
  const results: BenchResult[] = [];
  const add = (name: string, unit: string, value: number, notes: string) =>
    results.push({ name, unit, value, backend, notes });
  try {
    log(`${backend}: batch ingest of ${config.ingest.messages.toLocaleString('en-US')} messages`);
    const ingest = await measureBatchIngest({
      client,
      users: config.users,
      conversationOf,
      ...config.ingest,
    });
    const ingestScale = ingest.truncated
      ? `REDUCED SCALE: the ${config.ingest.budgetMs / 1000} s budget ran out after ` +
        `${ingest.messages} of ${config.ingest.messages} messages`
      : `${ingest.messages} messages`;
    if (ingest.truncated) log(`${backend}: ${ingestScale}`);
    const shape =
      `in batches of ${config.ingest.batchSize}, ${config.ingest.concurrency} in flight, ` +
      `after ${config.ingest.warmupBatches} warm-up batches`;
    add(
      'raw insert floor (messages table)',
      'rows/s',
      floor.rowsPerSecond,
      `the same ${floor.rows} rows written straight into the messages table of a fresh ` +
        `store (same indexes), one multi-row INSERT a transaction, ${shape}; no HTTP, ` +
        'validation, idempotency, bookkeeping or extraction (raw-insert-floor.ts)',
    );
    add(
      'REST batch ingest',
      'messages/s',
      ingest.messagesPerSecond,
      `POST /v1/conversations/messages/batch: ${ingestScale} ${shape}; extraction runs ` +
        'beside it, yielding to requests (job-runner.ts busyShare)',
    );
    results.push({
      name: 'REST batch ingest / raw insert floor',
      unit: '%',
      value: (100 * ingest.messagesPerSecond) / floor.rowsPerSecond,
      backend,
      notes: 'both measured in this run, one after the other',
      baseline: { name: 'raw insert floor (rows/s)', value: roundValue(floor.rowsPerSecond) },
    });

    log(`${backend}: waiting for extraction to catch up`);
    const catchUp = await measureCatchUp(bench.server.store, ingest.lastAnsweredAt);
    add(
      'extraction caught up after the last batch',
      's',
      catchUp.seconds,
      catchUp.caughtUp
        ? `from the last batch's answer until no extraction job is queued or running; ` +
            `${catchUp.pendingAtStart} jobs pending at the last batch`
        : `NOT CAUGHT UP: ${catchUp.pendingAtEnd} extraction jobs still pending after ` +
            `${catchUp.seconds.toFixed(0)} s`,
    );

    const target = config.users * config.memoriesPerUser;
    log(`${backend}: seeding ${target.toLocaleString('en-US')} memories`);
    const seeded = await seedMemories(bench.server.store, bench.clientId, {
      users: config.users,
      memoriesPerUser: config.memoriesPerUser,
      log: (line) => log(`${backend}: ${line}`),
      ...config.seed,
    });
    const scale = seeded.truncated
      ? `REDUCED SCALE: seeding hit its ${config.seed.budgetMs / 1000} s budget, so ` +
        `${seeded.memories.toLocaleString('en-US')} memories (${seeded.users} users × ` +
        `${config.memoriesPerUser}) instead of ${target.toLocaleString('en-US')}`
      : `${seeded.memories.toLocaleString('en-US')} memories (${seeded.users} users × ` +
        `${config.memoriesPerUser}, mixed types)`;
    if (seeded.truncated) log(`${backend}: ${scale}`);
    add(
      'seed memories (store.insertMemories)',
      'memories/s',
      seeded.memories / (seeded.elapsedMs / 1000),
      `${scale}; ${(seeded.elapsedMs / 1000).toFixed(1)} s in transactions of ` +
        `${config.seed.batchSize}, ${config.seed.concurrency} at a time`,
    );

    log(`${backend}: context fetch × ${config.fetch.requests}`);
    const fetched = await measureContextFetch({ client, users: seeded.users, ...config.fetch });
    const fetchNotes =
      `POST /v1/context/user/fetch with a search_query, sequential, ${config.fetch.requests} ` +
      `after ${config.fetch.warmup} warm-up; ${scale}; ${fetched.meanItems.toFixed(1)} items ` +
      'per answer on average';
    add('context fetch p50', 'ms', fetched.latency.p50, fetchNotes);
    add('context fetch p99', 'ms', fetched.latency.p99, fetchNotes);

    log(`${backend}: tool_call → bundle × ${config.events.count}`);
    const eventToBundle = await measureEventToBundle({
      grpcTarget: bench.server.grpcTarget,
      key: bench.key,
      users: seeded.users,
      conversationOf,
      ...config.events,
    });
    const eventNotes =
      `one Listen stream, tool_call book_flight {"destination":"Lisbon"} in the user's ` +
      `ingested conversation, one at a time, ${config.events.count} after ` +
      `${config.events.warmup} warm-up; ${scale}; ` +
      `${eventToBundle.meanItems.toFixed(1)} items per bundle on average`;
    add('tool_call → bundle p50', 'ms', eventToBundle.latency.p50, eventNotes);
    add('tool_call → bundle p99', 'ms', eventToBundle.latency.p99, eventNotes);
    add(
      '  of which retrieval p50',
      'ms',
      eventToBundle.retrieval.p50,
      "the bundles' own retrieval_time_ms (anticipator only, whole ms as the server " +
        'rounds it); the rest is event parsing, recording, saving the bundle and transport',
    );
    return { results, eventToBundle: eventToBundle.latency };
  } finally {
    client.close();
    await bench.close();
  }
}
