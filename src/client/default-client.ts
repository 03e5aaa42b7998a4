import { type ClientFlushResult, createClient, type ForesightClient } from './create-client.js';
import { InvalidInputError } from './errors.js';

/** Bound of the default client's flush when the process ends, ms. */
export const DEFAULT_EXIT_FLUSH_MS = 2_000;

/** How the process default client is made and shut down; see {@link resolveDefaultClientOptions}. */
export interface DefaultClientOptions {
  /**
   * Bound of the flush (and close) when the process ends, ms: on `beforeExit`, and on
   * `SIGTERM`/`SIGINT` before the signal does what it would have done. Env
   * `FORESIGHT_EXIT_FLUSH_MS`. Default 2000.
   */
  exitFlushMs: number;
}

/** Options from env over defaults; the message names the variable and the rule. */
export function resolveDefaultClientOptions(
  env: Record<string, string | undefined> = process.env,
): DefaultClientOptions {
  const text = env.FORESIGHT_EXIT_FLUSH_MS;
  if (text === undefined || text === '') return { exitFlushMs: DEFAULT_EXIT_FLUSH_MS };
  const exitFlushMs = Number(text);
  if (!Number.isFinite(exitFlushMs) || exitFlushMs < 0) {
    throw new InvalidInputError({
      message: `FORESIGHT_EXIT_FLUSH_MS: must be a number of ms, 0 or more, got ${JSON.stringify(text)}`,
      field: 'exitFlushMs',
    });
  }
  return { exitFlushMs };
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

let current: { client: ForesightClient; release: () => void } | undefined;

/**
 * The process default client: built from env (`FORESIGHT_URL`, `FORESIGHT_API_KEY`, and
 * the other `FORESIGHT_*` variables of `ClientOptions`) on first use, and the one the
 * adapters use when given no client (`foresightMiddleware({ identity })`). This module
 * owns it: when the process ends (`beforeExit`, or `SIGTERM`/`SIGINT`) it closes it,
 * which delivers what the outbox holds within `FORESIGHT_EXIT_FLUSH_MS` (default 2000),
 * and the logger says what could not be delivered. A signal then does what it would have
 * done without this module (the process ends with it), unless the application listens
 * for it itself. Throws `InvalidInputError` naming the variable when env is incomplete
 * (`apiKey (FORESIGHT_API_KEY): is required`).
 *
 * In a serverless function, flush it before answering: `await defaultClient().flush()`.
 *
 * @example
 * const middleware = foresightMiddleware({ identity: { userId: 'alice', threadId: 'chat-42' } });
 * // same client as defaultClient()
 */
export function defaultClient(): ForesightClient {
  if (current !== undefined) return current.client;
  const options = resolveDefaultClientOptions();
  const client = createClient();
  current = { client, release: closeOnExit(client, options.exitFlushMs) };
  return client;
}

/**
 * Closes the default client now (bounded) and forgets it: the next `defaultClient()` makes
 * a new one. For tests and for applications that end it themselves; idempotent.
 */
export async function closeDefaultClient(
  options: { timeoutMs?: number } = {},
): Promise<ClientFlushResult | undefined> {
  const held = current;
  if (held === undefined) return undefined;
  current = undefined;
  held.release();
  return held.client.close({ timeoutMs: options.timeoutMs ?? DEFAULT_EXIT_FLUSH_MS });
}

/** Hooks the process's end; answers the function that unhooks it. */
function closeOnExit(client: ForesightClient, exitFlushMs: number): () => void {
  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= (async () => {
      if (current?.client === client) current = undefined;
      // Ref'd, so the loop stays up while the close runs: its own waits are unref'd, and
      // without this the process could end mid-flush, before saying what was lost.
      const hold = setTimeout(() => undefined, exitFlushMs + 1_000);
      try {
        report(client, await client.close({ timeoutMs: exitFlushMs }));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        client.options.logger.warn({ err: error }, `default client: close failed: ${message}`);
      } finally {
        clearTimeout(hold);
      }
    })();
    return closing;
  };
  const onBeforeExit = () => {
    void shutdown();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal while flushing: the user insists, so end now.
    if (closing !== undefined) return reraise(signal);
    void shutdown().then(() => reraise(signal));
  };
  const release = () => {
    process.off('beforeExit', onBeforeExit);
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  // Once hooked, the listener of a signal suppresses its default (ending the process):
  // `reraise` gives it back.
  const reraise = (signal: NodeJS.Signals) => {
    release();
    // Another listener of the signal is the application's: it decides what the signal does.
    if (process.listenerCount(signal) > 0) return;
    // After the warnings written on the next tick, so they are not lost.
    setImmediate(() => process.kill(process.pid, signal));
  };
  process.on('beforeExit', onBeforeExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return release;
}

/** Tells the logger what the close could not deliver; silent when it delivered all. */
function report(client: ForesightClient, result: ClientFlushResult): void {
  const lost: string[] = [];
  if (result.undelivered > 0) lost.push(`${result.undelivered} turns undelivered`);
  if (result.failed > 0) lost.push(`${result.failed} turns refused`);
  if (result.dropped > 0) lost.push(`${result.dropped} turns dropped over the outbox bounds`);
  if (result.pending > 0) lost.push(`${result.pending} calls still in flight`);
  if (lost.length === 0) return;
  client.options.logger.warn(
    { ...result, url: client.options.url },
    `default client at exit: ${lost.join(', ')} (${client.options.url})`,
  );
}
