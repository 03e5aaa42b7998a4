// The server under attack, in its own process so that its RSS is its own: a fresh
// PGlite store, one key, limits as configured by env (FORESIGHT_REQUEST_TIMEOUT_MS and
// the others). Prints one JSON line with where it listens, serves until stdin closes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createServer } from '../../src/server/create-server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'foresight-attack-'));
const server = await createServer({
  port: 0,
  grpcPort: 0,
  host: '127.0.0.1',
  dataDir,
  serverSecret: 'attack-secret',
  logger: pino({ level: 'error' }, pino.destination(2)),
  // The victim client records as fast as it can: the per-key limit is not under test.
  requestsPerSecond: 1_000_000,
  requestBurst: 1_000_000,
});
await server.store.upsertClient({ id: 'victim', name: 'victim', mode: 'b2c' });
const { key } = await server.apiKeys.create({ clientId: 'victim', name: 'victim' });
process.stdout.write(`${JSON.stringify({ restUrl: server.restUrl, key, pid: process.pid })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close({ graceMs: 1000 });
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(`${dataDir}.lock`, { force: true });
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
