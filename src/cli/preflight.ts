import { createServer as createNetServer } from 'node:net';
import { redactedUrl } from './flag-checks.js';
import type { Setting } from './setting.js';

/**
 * Checks against the outside world, run after the flags are valid and before anything
 * is created or migrated. A failure is the run's (exit 1), not the command line's: its
 * one line names the flag, what went wrong and what to do.
 */

const CONNECT_TIMEOUT_MS = 5000;

/** Connects once and runs `select 1`; nothing is created. */
export async function reachDatabase(url: Setting): Promise<void> {
  // Loaded here: an embedded server never needs node-postgres.
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    connectionString: url.value,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // A connection dropped after the check must not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(
      `${url.name}: cannot reach PostgreSQL at ${redactedUrl(url.value)} (${reason(error)}); start it, or fix the URL`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Binds the port and lets go of it at once, so a port in use is named before the store
 * is opened (another process may still take it in between: the server's own bind
 * error covers that).
 */
export async function checkPortFree(
  hostSetting: Setting,
  port: number,
  flag: string,
): Promise<void> {
  if (port === 0) return;
  const host = hostSetting.value;
  const probe = createNetServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ host, port, exclusive: true }, resolve);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new Error(
        `${flag}: ${host}:${port} is already in use (another foresight serve?); stop it, or pass another port (0 picks a free one)`,
      );
    if (code === 'EACCES')
      throw new Error(`${flag}: ${port} needs privileges to bind; pass a port above 1023`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new Error(
        `${hostSetting.name}: ${host} is not an address of this machine (${code}); pass 127.0.0.1, 0.0.0.0 or one of its addresses`,
      );
    throw new Error(`${flag}: cannot bind ${host}:${port} (${reason(error)})`);
  } finally {
    await new Promise<void>((resolve) =>
      probe.listening ? probe.close(() => resolve()) : resolve(),
    );
  }
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return typeof code === 'string' && !message?.includes(code)
    ? `${code}: ${message}`
    : `${message}`;
}
