import { rmSync } from 'node:fs';
import { DEFAULT_CLIENT_ID } from '../../src/server/create-server.js';
import { openStore } from '../../src/store/index.js';
import type { MessageRecord } from '../../src/store/records.js';
import { migratedPgliteDir } from '../support/pglite-template.js';
import { type CliProcess, spawnCli } from '../support/spawn-cli.js';
import { type Backend, dropSchema, TEST_DATABASE_URL } from '../support/test-server.js';

export const FAULT_KEY = 'fsk_faultkey0001_abcdefghijklmnopqrstuvwxyz012345';

/**
 * `foresight serve` as its own process, so a test can SIGKILL it (no drain, no
 * goodbye) and start it again on the same port and the same data: a PGlite directory
 * or a PostgreSQL schema of its own. Its development key (`FAULT_KEY`) belongs to the
 * default client.
 */
export class ServerProcess {
  readonly backend: Backend;
  #cli: CliProcess | undefined;
  #port = 0;
  readonly #dataDir: string | undefined;
  readonly #schema: string | undefined;

  constructor(backend: Backend) {
    this.backend = backend;
    if (backend === 'pglite') this.#dataDir = migratedPgliteDir('foresight-fault-');
    else this.#schema = `foresight_fault_${process.pid}_${Date.now().toString(36)}`;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Starts the server: on a free port the first time, on the same port afterwards. */
  async start(): Promise<void> {
    const store = this.#dataDir
      ? ['--data-dir', this.#dataDir]
      : ['--database-url', TEST_DATABASE_URL, '--database-schema', this.#schema as string];
    this.#cli = spawnCli(
      ['serve', '--port', String(this.#port), '--grpc-port', '0', '--api-key', FAULT_KEY, ...store],
      { FORESIGHT_RATE_LIMIT_RPS: '100000', FORESIGHT_RATE_LIMIT_BURST: '100000' },
    );
    const restUrl = (await this.#cli.waitForLine(/^REST\s+(http:\/\/\S+)$/, 60_000))[1] as string;
    this.#port = Number(new URL(restUrl).port);
  }

  /** SIGKILL: the process dies mid-request, with whatever it had not committed. */
  async kill(): Promise<void> {
    const cli = this.#cli;
    if (!cli || cli.child.exitCode !== null || cli.child.signalCode !== null) return;
    cli.child.kill('SIGKILL');
    await cli.exited;
  }

  /** Graceful stop (SIGTERM), so the store can be opened by the test. */
  async stop(): Promise<void> {
    const cli = this.#cli;
    if (!cli || cli.child.exitCode !== null || cli.child.signalCode !== null) return;
    cli.child.kill('SIGTERM');
    await cli.exited;
  }

  /** Every message of a conversation of the default client, in order; the server must be stopped (PGlite). */
  async storedMessages(conversationId: string): Promise<MessageRecord[]> {
    const store = await openStore(
      this.#dataDir
        ? { dataDir: this.#dataDir }
        : { databaseUrl: TEST_DATABASE_URL, schema: this.#schema as string },
    );
    try {
      return await store.listMessages(DEFAULT_CLIENT_ID, conversationId, { limit: 100_000 });
    } finally {
      await store.close();
    }
  }

  async dispose(): Promise<void> {
    await this.kill();
    if (this.#dataDir) rmSync(this.#dataDir, { recursive: true, force: true });
    if (this.#schema) await dropSchema(this.#schema);
  }
}
