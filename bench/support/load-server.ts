// The server under load, run as its own process (`node --import tsx load-server.ts`) so
// its RSS is its own and the load generator's CPU is not counted against it. Prints one
// JSON line with where it listens, then serves until stdin closes or SIGTERM.
// LOAD_JOIN_SCHEMA (PostgreSQL): a second replica on the schema another load server
// made and seeded; it seeds nothing, uses that server's key (LOAD_KEY), and leaves the
// schema for that server to drop.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createServer } from '../../src/server/create-server.js';
import { BENCH_DATABASE_URL } from './bench-server.js';
import { seedMemories } from './seed-memories.js';

const backend = process.env.LOAD_BACKEND === 'postgres' ? 'postgres' : 'pglite';
const users = Number(process.env.LOAD_USERS ?? 500);
const joined = process.env.LOAD_JOIN_SCHEMA;
if (joined !== undefined && backend !== 'postgres') {
  throw new Error(
    'LOAD_JOIN_SCHEMA: replicas share a PostgreSQL schema; set LOAD_BACKEND=postgres',
  );
}
const unique = joined ?? `load_${process.pid}_${Date.now().toString(36)}`;
const dataDir = backend === 'pglite' ? mkdtempSync(join(tmpdir(), 'foresight-load-')) : undefined;
const UNLIMITED = 1_000_000;

const server = await createServer({
  port: 0,
  grpcPort: 0,
  serverSecret: 'load-secret',
  // Errors only: a warning a failed event would flood the bench's own output.
  logger: pino({ level: 'error' }, pino.destination(2)),
  // The production per-key limits would refuse a bench that is one key for 500 agents.
  requestsPerSecond: UNLIMITED,
  requestBurst: UNLIMITED,
  streamEventsPerSecond: UNLIMITED,
  // As `foresight serve` runs it by default: PGlite in the server's thread
  // (LOAD_PGLITE_WORKER=1: on a thread of its own, to compare).
  pgliteWorker: process.env.LOAD_PGLITE_WORKER === '1',
  ...(dataDir ? { dataDir } : { databaseUrl: BENCH_DATABASE_URL, databaseSchema: unique }),
});
const { key, seeded } = joined ? joinedSeed() : await seed();

process.stdout.write(
  `${JSON.stringify({ restUrl: server.restUrl, grpcTarget: server.grpcTarget, key, backend, schema: unique, memories: seeded.memories, users: seeded.users })}\n`,
);

async function seed() {
  await server.store.upsertClient({ id: 'load', name: 'load', mode: 'b2c' });
  const { key } = await server.apiKeys.create({ clientId: 'load', name: 'load' });
  const seeded = await seedMemories(server.store, 'load', {
    users,
    memoriesPerUser: 20,
    batchSize: 500,
    concurrency: 1,
    budgetMs: 60_000,
    log: () => {},
  });
  return { key, seeded };
}

/** A replica joining a seeded schema: the first server's key, nothing seeded here. */
function joinedSeed() {
  const key = process.env.LOAD_KEY;
  if (!key) throw new Error("LOAD_KEY: the first replica's key is required with LOAD_JOIN_SCHEMA");
  return { key, seeded: { memories: 0, users } };
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close({ graceMs: 2000 });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (backend === 'postgres' && !joined) {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: BENCH_DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${unique}" CASCADE`);
    await client.end();
  }
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
