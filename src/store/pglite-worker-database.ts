import { Worker } from 'node:worker_threads';
import type { Database, Queryable, Row, Session, StoreLogger } from './database.js';
import { silentLogger } from './database.js';
import type { PgliteDatabaseOptions } from './pglite-database.js';
import {
  deserializeError,
  type WorkerOpenOptions,
  type WorkerReady,
  type WorkerReply,
  type WorkerRequest,
} from './pglite-worker-protocol.js';

/** A request as the caller sends it: the id is the database's to give, the priority the view's. */
type Request = WorkerRequest extends infer R
  ? R extends WorkerRequest
    ? Omit<R, 'id' | 'background'>
    : never
  : never;

/**
 * PGlite on a worker thread: the same database as `PgliteDatabase` (which the worker
 * runs, pglite-worker.ts), reached by messages. PGlite's WebAssembly then runs on a
 * core of its own: in the load bench it was 40 % of the server's one thread, and every
 * statement (a batch insert of bundles took 5 ms) held the network thread, so gRPC
 * reads, REST requests and the engine all waited behind it. Rows and parameters cross
 * by structured clone (dates, arrays and JSON values as they are); errors keep their
 * PostgreSQL fields. The worker keeps the process alive only while a request is
 * pending, as an in-process database would.
 */
export class PgliteWorkerDatabase implements Database {
  readonly backend = 'pglite';
  readonly vectors: boolean;
  /** Statements that run only when no other waits (`Database.background`). */
  readonly background: Database;
  readonly #worker: Worker;
  readonly #logger: StoreLogger;
  readonly #pending = new Map<
    number,
    { resolve: (rows: Row[]) => void; reject: (error: Error) => void }
  >();
  #nextId = 1;
  #nextTransaction = 1;
  /** Why the worker is gone; every request after it fails with this. */
  #gone: Error | undefined;

  private constructor(worker: Worker, vectors: boolean, logger: StoreLogger) {
    this.#worker = worker;
    this.vectors = vectors;
    this.#logger = logger;
    this.background = this.#view(true);
    worker.on('message', (reply: WorkerReply) => this.#settle(reply));
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => this.#fail(new Error(`the PGlite worker exited (code ${code})`)));
    worker.unref();
  }

  static async open(options: PgliteDatabaseOptions): Promise<PgliteWorkerDatabase> {
    const { logger = silentLogger, ...rest } = options;
    const workerData: WorkerOpenOptions = rest;
    const worker = new Worker(workerEntry(), { workerData, execArgv: workerExecArgv() });
    const ready = await new Promise<WorkerReady>((resolve, reject) => {
      // A worker that dies before its answer (a module that failed to load) fails the open.
      const onExit = (code: number) =>
        reject(new Error(`the PGlite worker exited before opening (code ${code})`));
      const onMessage = (message: WorkerReady | WorkerReply) => {
        if ('log' in message) {
          relay(logger, message);
          return;
        }
        if (!('ready' in message)) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        worker.off('exit', onExit);
        resolve(message);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', onExit);
    });
    if (!ready.ready) {
      await worker.terminate();
      throw deserializeError(ready.error);
    }
    return new PgliteWorkerDatabase(worker, ready.vectors, logger);
  }

  query(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.#request({ op: 'query', sql, params });
  }

  queryPrepared(name: string, sql: string, params: readonly unknown[]): Promise<Row[]> {
    return this.#request({ op: 'prepared', name, sql, params });
  }

  async exec(sql: string): Promise<void> {
    await this.#request({ op: 'exec', sql });
  }

  transaction<T>(fn: (transaction: Queryable) => Promise<T>): Promise<T> {
    return this.#transaction(fn, false);
  }

  async #transaction<T>(
    fn: (transaction: Queryable) => Promise<T>,
    background: boolean,
  ): Promise<T> {
    const transaction = this.#nextTransaction++;
    await this.#request({ op: 'begin', transaction }, background);
    let result: T;
    try {
      result = await fn({
        query: (sql, params = []) => this.#request({ op: 'query', sql, params, transaction }),
        exec: async (sql) => {
          await this.#request({ op: 'exec', sql, transaction });
        },
      });
    } catch (error) {
      await this.#request({ op: 'end', transaction, commit: false }).catch(() => undefined);
      throw error;
    }
    await this.#request({ op: 'end', transaction, commit: true });
    return result;
  }

  /** The worker's single backend is the session, as in process. */
  session<T>(fn: (session: Session) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async close(): Promise<void> {
    if (this.#gone) return;
    try {
      await this.#request({ op: 'close' });
    } finally {
      this.#gone ??= new Error('the database is closed');
      await this.#worker.terminate();
    }
  }

  /** This database with every statement (and transaction) sent as background or not. */
  #view(background: boolean): Database {
    const view: Database = {
      backend: this.backend,
      vectors: this.vectors,
      query: (sql, params = []) => this.#request({ op: 'query', sql, params }, background),
      queryPrepared: (name, sql, params) =>
        this.#request({ op: 'prepared', name, sql, params }, background),
      exec: async (sql) => {
        await this.#request({ op: 'exec', sql }, background);
      },
      transaction: (fn) => this.#transaction(fn, background),
      session: (fn) => fn(view),
      close: () => this.close(),
    };
    return view;
  }

  #request(request: Request, background = false): Promise<Row[]> {
    if (this.#gone) return Promise.reject(this.#gone);
    const id = this.#nextId++;
    return new Promise<Row[]>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({
        ...request,
        id,
        ...(background ? { background } : {}),
      } as WorkerRequest);
    });
  }

  #settle(reply: WorkerReply): void {
    if ('log' in reply) {
      relay(this.#logger, reply);
      return;
    }
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (reply.ok) pending.resolve(reply.rows ?? []);
    else pending.reject(deserializeError(reply.error));
  }

  #fail(error: Error): void {
    this.#gone ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}

function relay(
  logger: StoreLogger,
  line: { log: 'info' | 'warn'; object: object; message?: string },
) {
  logger[line.log](line.object, line.message);
}

/**
 * The worker's module next to this one: compiled JavaScript when installed, TypeScript
 * when run from the sources (tests, benches), which the worker loads through tsx.
 */
function workerEntry(): URL {
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? './pglite-worker.ts' : './pglite-worker.js', import.meta.url);
}

function workerExecArgv(): string[] {
  // The process's flags, less those that are about its own entry or output: how `-e`
  // input is read (`--input-type`) and profiles (the worker would write its own over
  // the process's).
  const inherited = process.execArgv.filter(
    (flag) => !flag.startsWith('--cpu-prof') && !flag.startsWith('--input-type'),
  );
  if (!import.meta.url.endsWith('.ts')) return inherited;
  const hasTsx = inherited.some((flag, at) => flag === 'tsx' && inherited[at - 1] === '--import');
  return hasTsx ? inherited : [...inherited, '--import', 'tsx'];
}
