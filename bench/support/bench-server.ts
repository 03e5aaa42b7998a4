import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { createServer, type ForesightServer } from '../../src/server/create-server.js';

export type Backend = 'pglite' | 'postgres';

export const BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchServer {
  backend: Backend;
  server: ForesightServer;
  /** The tenant every measurement runs as. */
  clientId: string;
  key: string;
  /** Stops the server, then removes its temp dir or drops its schema. Idempotent. */
  close(): Promise<void>;
}

const UNLIMITED = 1_000_000;

/**
 * A real server on ephemeral ports over a fresh store: PGlite in a temp dir, or
 * PostgreSQL in a schema of its own. The rate limits are lifted because the bench
 * sends far more than the per-key defaults (200 requests/s, 50 events/s per stream)
 * allow, and a 429 or a dropped event would be measured as latency.
 */
export async function startBenchServer(backend: Backend): Promise<BenchServer> {
  const unique = `bench_${process.pid}_${Date.now().toString(36)}`;
  const dataDir = backend === 'pglite' ? mkdtempSync(join(tmpdir(), 'foresight-bench-')) : null;
  const schema = backend === 'postgres' ? unique : null;
  const removeStore = async () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (schema) await dropSchema(schema);
  };
  let server: ForesightServer;
  try {
    server = await createServer({
      port: 0,
      grpcPort: 0,
      serverSecret: 'bench-secret',
      logger: pino({ level: 'silent' }),
      requestsPerSecond: UNLIMITED,
      requestBurst: UNLIMITED,
      streamEventsPerSecond: UNLIMITED,
      ...(dataDir ? { dataDir } : { databaseUrl: BENCH_DATABASE_URL, databaseSchema: unique }),
    });
  } catch (error) {
    await removeStore();
    throw error;
  }
  const clientId = 'bench';
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      try {
        await server.close({ graceMs: 1000 });
      } finally {
        await removeStore();
      }
    })();
    return closing;
  };
  try {
    await server.store.upsertClient({ id: clientId, name: 'bench', mode: 'b2c' });
    const { key } = await server.apiKeys.create({ clientId, name: 'bench' });
    return { backend, server, clientId, key, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Drops a bench schema and everything in it (a bench run's own, never shared). */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
