import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clientId } from '../fixtures.js';
import type { SuiteContext } from '../suite-context.js';

// claimJobs serves every tenant, so each test claims a kind of its own.
function kind(): string {
  return `test-${randomUUID()}`;
}

export function jobBehaviours(context: SuiteContext): void {
  describe('jobs', () => {
    it('never gives one job to two concurrent claimers', async () => {
      const store = context.store();
      const tenant = clientId();
      const jobKind = kind();
      const enqueued = await Promise.all(
        Array.from({ length: 120 }, (_, index) => store.enqueueJob(tenant, jobKind, { index })),
      );
      // Eight workers claiming small batches until the queue is empty: on PostgreSQL
      // their claims overlap in time, which is what SKIP LOCKED has to get right.
      const claimed: number[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (;;) {
            const batch = await store.claimJobs([jobKind], 3, 60_000);
            if (batch.length === 0) return;
            expect(batch.length).toBeLessThanOrEqual(3);
            claimed.push(...batch.map((job) => job.id));
          }
        }),
      );
      expect(claimed.length).toBe(enqueued.length);
      expect([...claimed].sort((a, b) => a - b)).toEqual([...enqueued].sort((a, b) => a - b));
      expect(await store.claimJobs([jobKind], 10, 60_000)).toEqual([]);
    });

    it('claims due jobs oldest first, with their tenant and attempt count', async () => {
      const store = context.store();
      const tenant = clientId();
      const jobKind = kind();
      const first = await store.enqueueJob(tenant, jobKind, { index: 0 });
      const second = await store.enqueueJob(tenant, jobKind, { index: 1 });
      await store.enqueueJob(tenant, kind(), {});
      const claimed = await store.claimJobs([jobKind], 10, 60_000);
      expect(claimed.map((job) => job.id)).toEqual([first, second]);
      expect(claimed[1]).toMatchObject({
        clientId: tenant,
        kind: jobKind,
        payload: { index: 1 },
        attempts: 1,
      });
    });

    it('reclaims a job whose lease ran out, retries failures and buries them at the limit', async () => {
      const store = context.store();
      const tenant = clientId();
      const jobKind = kind();
      const id = await store.enqueueJob(tenant, jobKind, { compaction_id: 'c1' });

      const [leased] = await store.claimJobs([jobKind], 1, 1);
      expect(leased).toMatchObject({
        id,
        kind: jobKind,
        payload: { compaction_id: 'c1' },
        attempts: 1,
      });
      // The lease (1 ms) has run out by the store clock: read 1 s later, no waiting.
      const later = store.withClock({ now: () => new Date(Date.now() + 1000) });
      const [reclaimed] = await later.claimJobs([jobKind], 1, 60_000);
      expect(reclaimed).toMatchObject({ id, attempts: 2 });

      await store.failJob(id, 'boom', 0, 3);
      const [retried] = await store.claimJobs([jobKind], 1, 60_000);
      expect(retried).toMatchObject({ id, attempts: 3 });
      await store.failJob(id, 'boom again', 0, 3);
      expect(await store.claimJobs([jobKind], 1, 60_000)).toEqual([]);
    });

    it('holds a retry until its time and forgets completed jobs', async () => {
      const store = context.store();
      const tenant = clientId();
      const jobKind = kind();
      const later = await store.enqueueJob(tenant, jobKind, {});
      const [claimed] = await store.claimJobs([jobKind], 1, 60_000);
      await store.failJob(later, 'not yet', 60_000, 5);
      expect(await store.claimJobs([jobKind], 1, 60_000)).toEqual([]);

      const done = await store.enqueueJob(tenant, jobKind, {});
      expect((await store.claimJobs([jobKind], 5, 60_000)).map((job) => job.id)).toEqual([done]);
      await store.completeJob(done);
      expect(await store.claimJobs([jobKind], 5, 1)).toEqual([]);
      expect(claimed?.id).toBe(later);
    });

    it('counts the jobs not finished yet: queued, waiting for a retry, or running', async () => {
      const store = context.store();
      const tenant = clientId();
      const [jobKind, other] = [kind(), kind()];
      expect(await store.countPendingJobs([jobKind])).toBe(0);
      const ids = [];
      for (let index = 0; index < 4; index++) ids.push(await store.enqueueJob(tenant, jobKind, {}));
      await store.enqueueJob(tenant, other, {});
      expect(await store.countPendingJobs([jobKind])).toBe(4);
      expect(await store.countPendingJobs([jobKind, other])).toBe(5);
      const [done, retried, dead, running] = await store.claimJobs([jobKind], 4, 60_000);
      await store.completeJob(done?.id ?? 0);
      await store.failJob(retried?.id ?? 0, 'later', 60_000, 5);
      await store.failJob(dead?.id ?? 0, 'for good', 0, 1);
      expect(running).toBeDefined();
      expect(await store.countPendingJobs([jobKind])).toBe(2);
      expect(await store.countPendingJobs([])).toBe(0);
    });
  });
}
