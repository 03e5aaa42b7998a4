// The web inspector's pages at scale: a PGlite store of INSPECTOR_MEMORIES memories
// (default 100k, 100 a user) and one conversation driven through the client SDK (a user
// turn and INSPECTOR_EVENTS tool calls, each answered by a bundle), served by a real
// server with `inspector: true`. Times one signed-in GET of each page over HTTP:
// the conversation list, the conversation's timeline, a user's memories (100, a chain of
// superseded ones among them) and a memory's supersession chain.
// Prints a table and writes bench/results/inspector.json.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createClient } from '../src/index.js';
import { createServer } from '../src/server/create-server.js';
import { silentLogger } from '../src/store/database.js';
import { migrate } from '../src/store/migrate.js';
import { PgliteDatabase } from '../src/store/pglite-database.js';
import { type BenchResult, reportResults } from './support/bench-results.js';
import { bulkSeedMemories } from './support/bulk-seed.js';
import { summarize } from './support/latency-summary.js';
import { benchUserId } from './support/memory-corpus.js';

const MEMORIES = Number(process.env.INSPECTOR_MEMORIES ?? 100_000);
const EVENTS = Number(process.env.INSPECTOR_EVENTS ?? 50);
const PER_USER = 100;
const WARMUP = 20;
const SAMPLES = Number(process.env.INSPECTOR_SAMPLES ?? 200);
const CLIENT = 'default';
const CONVERSATION = '5e7f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const KEY = 'fsk_inspectbench_abcdefghijklmnopqrstuvwxyz012345';

const started = performance.now();
const loadAtStart = loadavg()[0] ?? 0;
const log = (line: string) =>
  console.log(`  [${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

const dataDir = mkdtempSync(join(tmpdir(), 'foresight-inspector-'));
const users = Math.max(1, Math.floor(MEMORIES / PER_USER));
{
  const database = await PgliteDatabase.open({ dataDir, logger: silentLogger });
  try {
    await migrate(database, { logger: silentLogger });
    await database.query(
      `INSERT INTO clients (id, name, mode) VALUES ($1, $1, 'b2c') ON CONFLICT DO NOTHING`,
      [CLIENT],
    );
    await bulkSeedMemories(database, CLIENT, { users, memoriesPerUser: PER_USER, seed: 7, log });
  } finally {
    await database.close();
  }
}
log(`${(users * PER_USER).toLocaleString('en')} memories seeded`);

const server = await createServer({
  port: 0,
  grpcPort: 0,
  dataDir,
  apiKey: KEY,
  inspector: true,
  serverSecret: 'bench-secret',
  logger: pino({ level: 'silent' }),
});
const client = createClient({
  url: server.restUrl,
  grpcTarget: server.grpcTarget,
  apiKey: KEY,
  env: {},
});
const results: BenchResult[] = [];
try {
  const userId = benchUserId(0);
  // A chain of superseded memories among the user's own.
  let chainEnd = '';
  for (const city of ['Porto', 'Faro', 'Lisbon']) {
    const [row] = await server.store.insertMemories(CLIENT, [
      {
        scope: 'user',
        userId,
        customerId: '',
        conversationId: null,
        memoryType: 'facts',
        content: `${userId} lives in ${city}.`,
        entityId: '',
        subjectKey: 'home_city',
        confidence: 0.9,
        category: null,
        strength: null,
        significance: null,
        participants: [],
        eventDate: null,
        validUntil: null,
        temporalCategory: 'perpetual',
        sourceMessageIds: [],
        metadata: {},
      },
    ]);
    chainEnd = row?.id ?? chainEnd;
  }
  await client.conversation.recordMessage({
    conversationId: CONVERSATION,
    userId,
    role: 'user',
    content: 'Plan my trip to Lisbon: flights, a hotel near the river, and dinner.',
  });
  await client.instance.listen();
  for (let at = 0; at < EVENTS; at++) {
    const eventId = await client.instance.sendMessage({
      eventType: 'tool_call',
      conversationId: CONVERSATION,
      userId,
      toolName: ['book_flight', 'find_hotel', 'find_restaurant'][at % 3] as string,
      toolArgs: { destination: 'Lisbon', step: at },
    });
    await client.context.waitFor({
      conversationId: CONVERSATION,
      afterEvent: eventId,
      timeoutMs: 5000,
    });
  }
  await client.flush();
  log(`conversation with ${EVENTS} tool calls and their bundles recorded`);

  const login = await fetch(`${server.restUrl}/inspect/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ api_key: KEY }).toString(),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  // The floor: the cheapest route of the same server, so figures read against the load.
  const pages: [string, string][] = [
    ['GET /health (floor)', '/health'],
    ['conversation list', '/inspect'],
    ['conversation page', `/inspect/conversations/${CONVERSATION}`],
    ['user memories page', `/inspect/users/${userId}`],
    ['supersession chain page', `/inspect/memories/${chainEnd}`],
  ];
  const label = MEMORIES >= 1000 ? `${MEMORIES / 1000}k` : String(MEMORIES);
  for (const [name, path] of pages) {
    const samples: number[] = [];
    let bytes = 0;
    for (let at = 0; at < WARMUP + SAMPLES; at++) {
      const begun = performance.now();
      const response = await fetch(`${server.restUrl}${path}`, { headers: { cookie } });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
      if (at >= WARMUP) samples.push(performance.now() - begun);
      bytes = body.length;
    }
    const summary = summarize(samples);
    const notes = `GET ${path.replace(/[0-9a-f-]{36}/, ':id')} over HTTP, signed in; PGlite, ${label} memories (${PER_USER} a user), a conversation of 1 turn and ${EVENTS} tool calls with bundles; ${SAMPLES} after ${WARMUP} warm-up; page ${Math.round(bytes / 1024)} KiB`;
    results.push(
      {
        name: `${name} p50 @ ${label} memories`,
        unit: 'ms',
        value: summary.p50,
        backend: 'pglite',
        notes,
      },
      {
        name: `${name} p99 @ ${label} memories`,
        unit: 'ms',
        value: summary.p99,
        backend: 'pglite',
        notes,
      },
    );
    log(
      `${name}: p50 ${summary.p50.toFixed(2)} ms, p99 ${summary.p99.toFixed(2)} ms (${bytes} bytes)`,
    );
  }
} finally {
  await client.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

results.push({
  name: 'machine load before the run',
  unit: 'load',
  value: loadAtStart,
  backend: 'none',
  notes: `1-minute load average on ${cpus().length} CPUs; well above 0 means other processes competed and the figures are pessimistic`,
});
reportResults('inspector', results);
console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
