import pg from 'pg';
import type { ListenerHandlers, StoreLogger } from './database.js';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

/**
 * `LISTEN` on one channel over a connection of its own (a pooled one would be handed
 * to other statements), reconnecting with backoff when the server drops it. Answers
 * the stop function.
 */
export async function listenTo(
  connection: pg.ClientConfig,
  channel: string,
  handlers: ListenerHandlers,
  logger: StoreLogger,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retryMs = FIRST_RETRY_MS;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client(connection);
    next.on('notification', (notice) => {
      if (notice.channel === channel && notice.payload !== undefined) {
        handlers.message(notice.payload);
      }
    });
    next.on('error', (error) => {
      logger.warn({ error: error.message, channel }, 'notification connection failed');
      lost(next);
    });
    next.on('end', () => lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      next.removeAllListeners('end');
      await next.end().catch(() => {});
      throw error;
    }
    client = next;
    retryMs = FIRST_RETRY_MS;
  };

  const schedule = (): void => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      if (stopped) return;
      connect().then(
        () => handlers.resumed(),
        (error: unknown) => {
          logger.warn({ error: String(error), channel, retryMs }, 'notification reconnect failed');
          retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
          schedule();
        },
      );
    }, retryMs);
    // The store's close stops it; a pending retry must not keep a process alive.
    retry.unref();
  };

  const lost = (failed: pg.Client): void => {
    if (client !== failed) return;
    client = undefined;
    failed.end().catch(() => {});
    schedule();
  };

  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const current = client;
    client = undefined;
    await current?.end().catch(() => {});
  };
}
