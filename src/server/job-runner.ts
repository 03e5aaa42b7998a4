import type { Logger } from 'pino';
import type { JobRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { ForegroundLoad } from './foreground-load.js';

export type JobHandler = (job: JobRecord) => Promise<void>;

export interface JobRunnerOptions {
  store: Store;
  logger: Logger;
  handlers: Record<string, JobHandler>;
  /** How often to look for due jobs when not woken. */
  pollIntervalMs?: number;
  /** How long a claimed job stays ours before another replica may take it. */
  leaseMs?: number;
  maxAttempts?: number;
  batchSize?: number;
  /**
   * Requests clients wait on. While any runs, the runner rests between passes so its
   * jobs take about `busyShare` of the time: a bulk ingest keeps the store (PGlite's one
   * thread) for itself, and extraction catches up once it pauses. None: no rests.
   */
  yieldTo?: ForegroundLoad;
  /** The share of time jobs may take while requests run, above 0 and at most 1. Default 0.1. */
  busyShare?: number;
  /** The longest rest between two passes, ms. Default 1000. */
  maxRestMs?: number;
}

/**
 * Runs background jobs (compaction, extraction) claimed from the store with
 * `FOR UPDATE SKIP LOCKED`, so replicas over one PostgreSQL share the queue without
 * running a job twice. One loop, owned by the server; `stop()` waits for the job in
 * hand. `wake()` lets a route that just enqueued work skip the poll delay.
 */
export class JobRunner {
  readonly #options: Required<Omit<JobRunnerOptions, 'store' | 'logger' | 'handlers' | 'yieldTo'>> &
    JobRunnerOptions;
  #timer: NodeJS.Timeout | undefined;
  /** Aborted by stop(), so a rest between passes ends at once. */
  readonly #stopping = new AbortController();
  #running: Promise<void> | undefined;
  #stopped = false;
  #again = false;

  constructor(options: JobRunnerOptions) {
    this.#options = {
      pollIntervalMs: 500,
      leaseMs: 60_000,
      maxAttempts: 5,
      batchSize: 4,
      busyShare: 0.1,
      maxRestMs: 1000,
      ...options,
    };
    const share = this.#options.busyShare;
    if (!(share > 0 && share <= 1))
      throw new RangeError(`busyShare: must be above 0 and at most 1, got ${share}`);
  }

  start(): void {
    this.#schedule(0);
  }

  /** Runs a pass now (or right after the current one). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) this.#again = true;
    else this.#schedule(0);
  }

  /**
   * No new job starts; claimed jobs not yet started are released at once (due again,
   * for another replica or the next start). Resolves when the job in hand is done, or
   * after `timeoutMs`: a job still running then keeps its claim until its lease lapses
   * (`leaseMs`), and is retried after that: jobs run at least once, never lost.
   */
  async stop(timeoutMs = Number.POSITIVE_INFINITY): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort();
    clearTimeout(this.#timer);
    if (!this.#running) return;
    if (!Number.isFinite(timeoutMs)) return this.#running;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      timer.unref();
    });
    const outcome = await Promise.race([this.#running, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout')
      this.#options.logger.warn(
        { leaseMs: this.#options.leaseMs },
        'job runner: a job outlived the drain timeout; it is retried once its lease lapses',
      );
  }

  /** For tests and shutdown: run passes until no due job is left. */
  async drain(): Promise<void> {
    while (!this.#stopped && (await this.#pass()) > 0) {
      // keep going: a pass that found work may have left more behind
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const started = performance.now();
      this.#running = this.#pass().then(async (count) => {
        if (count > 0) await this.#rest(started);
        const again = this.#again || count === this.#options.batchSize;
        this.#again = false;
        this.#running = undefined;
        this.#schedule(again ? 0 : this.#options.pollIntervalMs);
      });
    }, delayMs);
    this.#timer.unref();
  }

  /**
   * After a pass that started at `started` while the foreground was busy: rest so the
   * pass was `busyShare` of the time, or until the foreground is quiet. Wakes meanwhile
   * wait for it.
   */
  async #rest(started: number): Promise<void> {
    const { yieldTo, busyShare, maxRestMs } = this.#options;
    if (!yieldTo?.busySince(started)) return;
    const passMs = performance.now() - started;
    const restMs = Math.min(maxRestMs, (passMs * (1 - busyShare)) / busyShare);
    await yieldTo.whenQuiet(restMs, this.#stopping.signal);
  }

  /** Claims and runs one batch; returns how many jobs it ran. Never throws. */
  async #pass(): Promise<number> {
    const { store, logger, handlers, batchSize, leaseMs, maxAttempts } = this.#options;
    let jobs: JobRecord[];
    try {
      jobs = await store.claimJobs(Object.keys(handlers), batchSize, leaseMs);
    } catch (error) {
      logger.warn({ err: error }, 'job runner: could not claim jobs; will retry');
      return 0;
    }
    for (const [index, job] of jobs.entries()) {
      if (this.#stopped) {
        await this.#release(jobs.slice(index));
        break;
      }
      const handler = handlers[job.kind];
      try {
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(job);
        await store.completeJob(job.id);
      } catch (error) {
        logger.warn(
          { err: error, jobId: job.id, kind: job.kind, attempts: job.attempts },
          'job failed',
        );
        const retryInMs = Math.min(60_000, 1000 * 2 ** job.attempts);
        await store
          .failJob(job.id, String(error), retryInMs, maxAttempts)
          .catch((failError: unknown) => {
            logger.error(
              { err: failError, jobId: job.id },
              'job runner: could not record a job failure',
            );
          });
      }
    }
    return jobs.length;
  }

  /**
   * Hands claimed, unstarted jobs back, due now. Their claim counted an attempt; one
   * more allowed here keeps a job on its last attempt from being marked dead for a run
   * that never happened.
   */
  async #release(jobs: JobRecord[]): Promise<void> {
    const { store, logger, maxAttempts } = this.#options;
    for (const job of jobs) {
      await store
        .failJob(job.id, 'released at shutdown', 0, maxAttempts + 1)
        .catch((error: unknown) => {
          logger.warn(
            { err: error, jobId: job.id },
            'job runner: could not release a job; it is retried once its lease lapses',
          );
        });
    }
  }
}
