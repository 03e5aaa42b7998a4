import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ForegroundLoad } from '../../src/server/foreground-load.js';
import { JobRunner } from '../../src/server/job-runner.js';
import { openStore } from '../../src/store/index.js';
import type { JobRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { dropSchema, TEST_DATABASE_URL } from '../support/test-server.js';
import { silentLogger } from './events/fixtures.js';

const schema = `job_yield_${process.pid}_${Date.now().toString(36)}`;
let store: Store;

beforeAll(async () => {
  store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema });
});
afterAll(async () => {
  await store.close();
  await dropSchema(schema);
});

describe('JobRunner with a foreground to yield to', () => {
  it('rests between passes while a request runs, and goes on once the foreground is quiet', async () => {
    const kind = `yield-${randomUUID()}`;
    for (let n = 0; n < 3; n++) await store.enqueueJob('acme', kind, { n });
    const foreground = new ForegroundLoad({ quietMs: 0 });
    const leave = foreground.enter();
    const ran: number[] = [];
    const runner = new JobRunner({
      store,
      logger: silentLogger,
      batchSize: 1,
      // A rest nine hundred ninety-nine times the pass, capped far beyond the test.
      busyShare: 0.001,
      maxRestMs: 600_000,
      yieldTo: foreground,
      handlers: {
        [kind]: async (job: JobRecord) => {
          ran.push(job.payload.n as number);
        },
      },
    });
    try {
      runner.start();
      await vi.waitFor(async () => expect(await store.countPendingJobs([kind])).toBe(2));
      // Resting: neither a wake nor more round trips start the next job.
      runner.wake();
      for (let round = 0; round < 3; round++) await store.countPendingJobs([kind]);
      expect(ran).toEqual([0]);
      leave();
      await vi.waitFor(() => expect(ran).toEqual([0, 1, 2]));
    } finally {
      await runner.stop();
    }
  });

  it('refuses a busy share outside (0, 1]', () => {
    const options = { store, logger: silentLogger, handlers: {} };
    expect(() => new JobRunner({ ...options, busyShare: 0 })).toThrow('busyShare');
    expect(() => new JobRunner({ ...options, busyShare: 1.5 })).toThrow('busyShare');
  });
});
