import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createServer, type ForesightServer } from '../../src/server/create-server.js';
import { silentLogger } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrate.js';
import { PgliteDatabase } from '../../src/store/pglite-database.js';
import { bulkSeedMemories } from './bulk-seed.js';

export interface SeededServer {
  server: ForesightServer;
  clientId: string;
  key: string;
  /** Memories in the store. */
  memories: number;
  seedMs: number;
  /** Stops the server and removes its data dir. Idempotent. */
  close(): Promise<void>;
}

const CLIENT_ID = 'bench';
const UNLIMITED = 1_000_000;

/**
 * The embedded server (PGlite in a temp dir) over `users × memoriesPerUser` bench
 * memories: seeded first with multi-row INSERTs straight into the database (about 17 s
 * for 100k here; `store.insertMemories` would take minutes), then served. Rate limits
 * are lifted, as in bench-server.ts, so a 429 is never measured as a miss.
 */
export async function startSeededServer(options: {
  users: number;
  memoriesPerUser: number;
  log: (line: string) => void;
}): Promise<SeededServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foresight-hit-rate-'));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  let server: ForesightServer | undefined;
  try {
    const started = performance.now();
    const database = await PgliteDatabase.open({ dataDir, logger: silentLogger });
    let memories: number;
    try {
      await migrate(database, { logger: silentLogger });
      memories = await bulkSeedMemories(database, CLIENT_ID, {
        users: options.users,
        memoriesPerUser: options.memoriesPerUser,
        log: options.log,
      });
    } finally {
      // PGlite is single-process: the server opens the directory only once this is closed.
      await database.close();
    }
    const seedMs = performance.now() - started;
    server = await createServer({
      port: 0,
      grpcPort: 0,
      dataDir,
      serverSecret: 'bench-secret',
      logger: pino({ level: 'silent' }),
      requestsPerSecond: UNLIMITED,
      requestBurst: UNLIMITED,
      streamEventsPerSecond: UNLIMITED,
    });
    await server.store.upsertClient({ id: CLIENT_ID, name: 'bench', mode: 'b2c' });
    const { key } = await server.apiKeys.create({ clientId: CLIENT_ID, name: 'bench' });
    const running = server;
    let closing: Promise<void> | undefined;
    return {
      server: running,
      clientId: CLIENT_ID,
      key,
      memories,
      seedMs,
      close: () => {
        closing ??= running.close({ graceMs: 1000 }).finally(removeDir);
        return closing;
      },
    };
  } catch (error) {
    await server?.close({ graceMs: 1000 });
    removeDir();
    throw error;
  }
}
