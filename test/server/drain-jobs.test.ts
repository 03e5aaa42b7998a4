import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/server/job-runner.js';
import { openStore } from '../../src/store/index.js';
import type { JobRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { dropSchema, TEST_DATABASE_URL } from '../support/test-server.js';
import { silentLogger } from './events/fixtures.js';

const schema = `drain_jobs_${process.pid}_${Date.now().toString(36)}`;
let store: Store;

beforeAll(async () => {
  store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema });
  await store.upsertClient({ id: 'acme', name: 'acme', mode: 'b2c' });
});
afterAll(async () => {
  await store.close();
  await dropSchema(schema);
});

/** A promise and its resolver, to hand an event from a job handler to the test. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('JobRunner.stop', () => {
  it('finishes the job in hand and releases the claimed jobs it had not started', async () => {
    for (let n = 0; n < 3; n++) await store.enqueueJob('acme', 'drain-finish', { n });
    const ran: number[] = [];
    let stopping: Promise<void> | undefined;
    const stopCalled = signal();
    const finish = signal();
    const runner = new JobRunner({
      store,
      logger: silentLogger,
      batchSize: 3,
      handlers: {
        'drain-finish': async (job: JobRecord) => {
          ran.push(job.payload.n as number);
          stopping ??= runner.stop(5000);
          stopCalled.resolve();
          // The job in hand is still running while stop() waits for it.
          await finish.promise;
        },
      },
    });
    runner.start();
    await stopCalled.promise;
    finish.resolve();
    await stopping;
    expect(ran).toEqual([0]);
    // Released, not left to a 60 s lease: another replica can claim both right away.
    const reclaimed = await store.claimJobs(['drain-finish'], 10, 60_000);
    expect(reclaimed.map((job) => job.payload.n).sort()).toEqual([1, 2]);
    for (const job of reclaimed) await store.completeJob(job.id);
  });

  it('stops waiting after its timeout; the overrunning job keeps its lease', async () => {
    await store.enqueueJob('acme', 'drain-overrun', {});
    let release: () => void = () => {};
    const started = signal();
    const runner = new JobRunner({
      store,
      logger: silentLogger,
      leaseMs: 60_000,
      handlers: {
        'drain-overrun': () => {
          started.resolve();
          return new Promise<void>((resolve) => {
            release = resolve;
          });
        },
      },
    });
    runner.start();
    await started.promise;
    // The job never ends before release(): stop() resolving at all is its timeout at work.
    await runner.stop(100);
    // Still claimed by the job in hand: nobody else runs it twice meanwhile.
    expect(await store.claimJobs(['drain-overrun'], 10, 60_000)).toEqual([]);
    release();
  });
});
