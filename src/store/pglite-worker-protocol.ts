import type { Row } from './database.js';
import type { PgliteDatabaseOptions } from './pglite-database.js';

/**
 * What the main thread asks the PGlite worker; `id` pairs the answer with its request.
 * A `background` request runs only when no other waits (`Database.background`).
 */
export type WorkerRequest = (
  | { op: 'query'; sql: string; params: readonly unknown[]; transaction?: number }
  | { op: 'exec'; sql: string; transaction?: number }
  | { op: 'prepared'; name: string; sql: string; params: readonly unknown[] }
  /** Opens transaction `transaction`; it holds the database until `end`. */
  | { op: 'begin'; transaction: number }
  | { op: 'end'; transaction: number; commit: boolean }
  | { op: 'close' }
) & { id: number; background?: boolean };

/** The worker's answer to one request, or a line for the main thread's logger. */
export type WorkerReply =
  | { id: number; ok: true; rows?: Row[] }
  | { id: number; ok: false; error: SerializedError }
  | { log: 'info' | 'warn'; object: object; message?: string };

/** What the worker is started with (`workerData`): `open` without the logger. */
export type WorkerOpenOptions = Omit<PgliteDatabaseOptions, 'logger'>;

/** The worker's first message: opened (with whether pgvector loaded), or why not. */
export type WorkerReady =
  | { ready: true; vectors: boolean }
  | { ready: false; error: SerializedError };

/**
 * An error as it crosses the thread boundary: its message, name and stack, and its own
 * fields (PostgreSQL's `code`, `detail`, `constraint`, ... which sql-errors.ts reads).
 */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  fields: Record<string, unknown>;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    // Only what structured clone carries as is: the fields are strings and numbers.
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      fields[key] = value;
    }
  }
  return {
    name: error.name,
    message: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
    fields,
  };
}

export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  error.name = serialized.name;
  if (serialized.stack) error.stack = serialized.stack;
  Object.assign(error, serialized.fields);
  return error;
}
