// The PGlite worker thread: opens the data directory with PgliteDatabase and runs what
// the main thread asks (pglite-worker-database.ts), so PGlite's WebAssembly runs on its
// own thread and the server's network thread never waits inside a statement.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { Queryable } from './database.js';
import { PgliteDatabase } from './pglite-database.js';
import {
  serializeError,
  type WorkerOpenOptions,
  type WorkerReady,
  type WorkerReply,
  type WorkerRequest,
} from './pglite-worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('pglite-worker.ts runs as a worker thread only');

const send = (message: WorkerReply | WorkerReady) => port.postMessage(message);
const logger = {
  info: (object: object, message?: string) =>
    send({ log: 'info', object, ...(message === undefined ? {} : { message }) }),
  warn: (object: object, message?: string) =>
    send({ log: 'warn', object, ...(message === undefined ? {} : { message }) }),
};

/** A transaction the main thread holds open, and how to end it. */
interface OpenTransaction {
  queryable: Queryable;
  end: (commit: boolean) => void;
  /** Settles when the transaction has committed (or rolled back, rejecting). */
  done: Promise<unknown>;
}

/** Thrown inside a transaction the main thread rolled back: only to make PGlite roll back. */
const ROLLBACK = Symbol('rollback');

let opened: PgliteDatabase | undefined;
try {
  opened = await PgliteDatabase.open({ ...(workerData as WorkerOpenOptions), logger });
  send({ ready: true, vectors: opened.vectors });
} catch (error) {
  // The main thread reports it (a data directory in use is a one-line answer, not a
  // crash), so it is sent, not thrown; with the port closed the worker ends.
  send({ ready: false, error: serializeError(error) });
  port.close();
}

if (opened) serve(opened, port);

/** Answers the main thread's requests on `database` until the worker is terminated. */
function serve(database: PgliteDatabase, port: MessagePort): void {
  const transactions = new Map<number, OpenTransaction>();

  async function handle(request: WorkerRequest): Promise<WorkerReply> {
    switch (request.op) {
      case 'query': {
        const target = on(request.transaction);
        return { id: request.id, ok: true, rows: await target.query(request.sql, request.params) };
      }
      case 'exec':
        await on(request.transaction).exec(request.sql);
        return { id: request.id, ok: true };
      case 'prepared':
        return {
          id: request.id,
          ok: true,
          rows: await database.queryPrepared(request.name, request.sql, request.params),
        };
      case 'begin':
        await begin(request.transaction);
        return { id: request.id, ok: true };
      case 'end': {
        const open = transactions.get(request.transaction);
        if (!open) throw new Error(`transaction ${request.transaction} is not open`);
        transactions.delete(request.transaction);
        open.end(request.commit);
        try {
          await open.done;
        } catch (error) {
          if (error !== ROLLBACK) throw error;
        }
        return { id: request.id, ok: true };
      }
      case 'close':
        await database.close();
        return { id: request.id, ok: true };
    }
  }

  function on(transaction: number | undefined): Queryable {
    if (transaction === undefined) return database;
    const open = transactions.get(transaction);
    if (!open) throw new Error(`transaction ${transaction} is not open`);
    return open.queryable;
  }

  /** Starts a transaction and resolves once it holds the database; it ends on `end`. */
  function begin(id: number): Promise<void> {
    return new Promise((started, failed) => {
      let commit: (value: boolean) => void = () => {};
      const ended = new Promise<boolean>((resolve) => {
        commit = resolve;
      });
      const entry: OpenTransaction = {
        queryable: database,
        end: (value) => commit(value),
        done: ended,
      };
      entry.done = database.transaction(async (queryable) => {
        entry.queryable = queryable;
        transactions.set(id, entry);
        started();
        if (!(await ended)) throw ROLLBACK;
      });
      // A transaction that never started (the database closed) fails its `begin`.
      entry.done.catch((error: unknown) => {
        if (!transactions.has(id) && error !== ROLLBACK) failed(error);
      });
    });
  }

  const run = (request: WorkerRequest) =>
    handle(request).then(send, (error: unknown) =>
      send({ id: request.id, ok: false, error: serializeError(error) }),
    );

  // PGlite runs one statement at a time and queues the rest in arrival order. Handed
  // over one by one instead, the next is chosen when the last is done: first what a
  // caller waits on, background work (event rows, job bookkeeping) only when nothing
  // else waits. The choice waits for the check phase (setImmediate), after the port has
  // delivered what arrived while the thread ran a statement: chosen at once, it would
  // pick from a queue that does not hold them yet. Inside an open transaction
  // statements go straight on: the transaction holds the database, and what is queued
  // waits for it anyway.
  const waiting = { foreground: [] as WorkerRequest[], background: [] as WorkerRequest[] };
  let running = false;
  let choosing = false;
  const choose = (): void => {
    choosing = false;
    if (running) return;
    const request = waiting.foreground.shift() ?? waiting.background.shift();
    if (!request) return;
    running = true;
    void run(request).finally(() => {
      running = false;
      next();
    });
  };
  const next = (): void => {
    if (running || choosing) return;
    choosing = true;
    setImmediate(choose);
  };

  port.on('message', (request: WorkerRequest) => {
    const inTransaction =
      request.op === 'end' ||
      ((request.op === 'query' || request.op === 'exec') && request.transaction !== undefined);
    if (inTransaction) {
      void run(request);
      return;
    }
    waiting[request.background ? 'background' : 'foreground'].push(request);
    next();
  });
}
