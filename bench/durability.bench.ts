// The cost of PGlite's fsync option: acknowledged records a second through REST, with
// PostgreSQL's fsync off (PGlite's default: commits reach the OS page cache) and on
// (FORESIGHT_PGLITE_FSYNC=1: each commit is fsync(2)ed). Single-message requests pay
// one commit each; batches of 50 share one. Writes bench/results/durability.json.
// DURABILITY_SECONDS (default 10) is the timed span of each case.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createServer } from '../src/server/create-server.js';
import { type BenchResult, formatTable, writeResults } from './support/bench-results.js';

const SECONDS = Number(process.env.DURABILITY_SECONDS ?? 10);
const CONCURRENCY = 8;
const RESULTS = new URL('./results/durability.json', import.meta.url).pathname;
const KEY = 'fsk_benchdurable_abcdefghijklmnopqrstuvwxyz012345';

async function measure(fsync: boolean, batchSize: number): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foresight-durability-'));
  const server = await createServer({
    port: 0,
    grpcPort: 0,
    dataDir,
    pgliteFsync: fsync,
    apiKey: KEY,
    serverSecret: 'bench-secret',
    logger: pino({ level: 'silent' }),
    requestsPerSecond: 1_000_000,
    requestBurst: 1_000_000,
  });
  try {
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${server.restUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };
    const message = (worker: number, n: number) => ({
      conversation_id: `00000000-0000-4000-8000-${String(worker).padStart(12, '0')}`,
      role: n % 2 ? 'assistant' : 'user',
      content: `turn ${n}: I prefer aisle seats and I am flying to Lisbon on the 14th for a conference.`,
      user_id: `user-${worker}`,
    });
    let recorded = 0;
    let measuring = false;
    const run = async (worker: number, until: number) => {
      for (let n = 0; performance.now() < until; n += batchSize) {
        if (batchSize === 1) await post('/v1/conversations/messages', message(worker, n));
        else
          await post('/v1/conversations/messages/batch', {
            messages: Array.from({ length: batchSize }, (_, i) => message(worker, n + i)),
          });
        if (measuring) recorded += batchSize;
      }
    };
    // One second of warm-up (JIT, plan cache), then the timed span.
    await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, w) => run(w, performance.now() + 1000)),
    );
    measuring = true;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, w) => run(w, started + SECONDS * 1000)),
    );
    return recorded / ((performance.now() - started) / 1000);
  } finally {
    await server.close({ graceMs: 1000 });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results: BenchResult[] = [];
for (const batchSize of [1, 50]) {
  for (const fsync of [false, true]) {
    const perSecond = await measure(fsync, batchSize);
    results.push({
      name: `records acknowledged, ${batchSize === 1 ? 'one a request' : `batches of ${batchSize}`}, fsync ${fsync ? 'on' : 'off'}`,
      unit: 'records/s',
      value: perSecond,
      backend: 'pglite',
      notes: `${CONCURRENCY} concurrent REST clients, in-process server, ${SECONDS} s each`,
    });
  }
}
console.log(formatTable(results));
writeResults(RESULTS, results);
