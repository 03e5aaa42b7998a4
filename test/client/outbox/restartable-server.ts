import { pino } from 'pino';
import { createServer, type ForesightServer } from '../../../src/server/create-server.js';
import type { ServerOptions } from '../../../src/server/server-options.js';
import { dropSchema, startTestServer, type TestServer } from '../../support/test-server.js';

/**
 * A real server over PostgreSQL that a test can stop and start again on the same
 * ports and the same data, as an outage and a redeploy look to a client.
 */
export interface RestartableServer {
  /** The server running now (a new object after each restart). */
  readonly server: ForesightServer;
  readonly restUrl: string;
  readonly grpcTarget: string;
  readonly tenant: TestServer['tenant'];
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startRestartableServer(
  options: ServerOptions = {},
): Promise<RestartableServer> {
  const first = await startTestServer('postgres', options);
  const restUrl = first.server.restUrl;
  const grpcTarget = first.server.grpcTarget;
  let current: ForesightServer | undefined = first.server;
  return {
    get server() {
      if (!current) throw new Error('the server is stopped');
      return current;
    },
    restUrl,
    grpcTarget,
    tenant: first.tenant,
    async stop() {
      await current?.close({ graceMs: 200 });
      current = undefined;
    },
    async start() {
      if (current) return;
      current = await createServer({
        port: Number(new URL(restUrl).port),
        grpcPort: Number(grpcTarget.split(':').at(-1)),
        serverSecret: 'test-secret',
        logger: pino({ level: process.env.FORESIGHT_TEST_LOG_LEVEL ?? 'silent' }),
        ...first.storeOptions,
        ...options,
      });
    },
    async close() {
      await current?.close({ graceMs: 200 });
      current = undefined;
      await dropSchema(first.storeOptions.databaseSchema as string);
    },
  };
}

/** Batch record requests the server answered, by status (from its own metrics). */
export async function batchRequests(server: ForesightServer): Promise<Record<string, number>> {
  const metric = await server.metrics.httpRequests.get();
  const counts: Record<string, number> = {};
  for (const { labels, value } of metric.values) {
    if (labels.route !== '/v1/conversations/messages/batch') continue;
    const status = String(labels.status);
    counts[status] = (counts[status] ?? 0) + value;
  }
  return counts;
}
