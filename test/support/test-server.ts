import { rmSync } from 'node:fs';
import pg from 'pg';
import { pino } from 'pino';
import { createClient, type ForesightClient } from '../../src/index.js';
import { createServer, type ForesightServer } from '../../src/server/create-server.js';
import type { ServerOptions } from '../../src/server/server-options.js';
import { migratedPgliteDir } from './pglite-template.js';

export type Backend = 'pglite' | 'postgres';
export const BACKENDS: Backend[] = ['pglite', 'postgres'];
export const TEST_DATABASE_URL =
  process.env.FORESIGHT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Tenant {
  clientId: string;
  key: string;
}

export interface TestServer {
  server: ForesightServer;
  /** The default B2C client's key. */
  tenant: Tenant;
  /** A second B2C client: must never see the first one's data. */
  other: Tenant;
  /** A B2B client (customer_id required with user_id). */
  b2b: Tenant;
  /** Where the store lives, to start a second replica on the same data (PostgreSQL). */
  storeOptions: Pick<ServerOptions, 'dataDir' | 'databaseUrl' | 'databaseSchema'>;
  close(): Promise<void>;
}

let counter = 0;

/** A real server on ephemeral ports over a fresh store: a temp PGlite dir (migrated already), or a schema of its own. */
export async function startTestServer(
  backend: Backend,
  options: ServerOptions = {},
): Promise<TestServer> {
  const unique = `t${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const dataDir = backend === 'pglite' ? migratedPgliteDir() : undefined;
  const storeOptions =
    backend === 'pglite'
      ? { dataDir }
      : { databaseUrl: TEST_DATABASE_URL, databaseSchema: `foresight_${unique}` };
  const server = await createServer({
    port: 0,
    grpcPort: 0,
    serverSecret: 'test-secret',
    logger: pino({ level: process.env.FORESIGHT_TEST_LOG_LEVEL ?? 'silent' }),
    ...storeOptions,
    ...options,
  });
  const tenant = await addTenant(server, 'default', 'b2c');
  const other = await addTenant(server, `other-${unique}`, 'b2c');
  const b2b = await addTenant(server, `b2b-${unique}`, 'b2b');
  return {
    server,
    tenant,
    other,
    b2b,
    storeOptions,
    async close() {
      await server.close({ graceMs: 1000 });
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (backend === 'postgres') await dropSchema(storeOptions.databaseSchema as string);
    },
  };
}

export async function addTenant(
  server: ForesightServer,
  clientId: string,
  mode: 'b2c' | 'b2b',
): Promise<Tenant> {
  await server.store.upsertClient({ id: clientId, name: clientId, mode });
  const { key } = await server.apiKeys.create({ clientId, name: 'test' });
  return { clientId, key };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** JSON over fetch with a bearer key; answers status, headers and parsed body. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined
      ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
      : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/** A client of the test server's default tenant (or `key`), listening on its stream. */
export async function listeningClient(t: TestServer, key = t.tenant.key): Promise<ForesightClient> {
  const client = createClient({
    url: t.server.restUrl,
    grpcTarget: t.server.grpcTarget,
    apiKey: key,
    env: {},
  });
  await client.instance.listen();
  return client;
}
