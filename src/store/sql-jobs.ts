import type { Database, Queryable } from './database.js';
import type { JobRecord } from './records.js';
import { integer, toJob } from './row-mapping.js';

export async function enqueueJob(
  database: Queryable,
  clientId: string,
  kind: string,
  payload: Record<string, unknown>,
  now: Date,
): Promise<number> {
  // run_after is compared with the store clock when claiming, so it is set from it too.
  const [row] = await database.query(
    `INSERT INTO jobs (client_id, kind, payload, run_after, created_at, updated_at)
     VALUES ($1, $2, $3::text::jsonb, $4, $4, $4) RETURNING id`,
    [clientId, kind, JSON.stringify(payload), now],
  );
  if (!row) throw new Error('store: job insert returned no row');
  return integer(row, 'id');
}

/**
 * Claims due jobs: queued ones whose time has come, and running ones whose lease ran
 * out (their worker died). SKIP LOCKED lets replicas claim side by side without
 * waiting on, or taking, each other's rows. Each claim counts as an attempt.
 */
export async function claimJobs(
  database: Database,
  kinds: string[],
  limit: number,
  leaseMs: number,
  now: Date,
): Promise<JobRecord[]> {
  if (kinds.length === 0 || limit <= 0) return [];
  const rows = await database.query(
    `WITH due AS (
       SELECT id FROM jobs
       WHERE kind = ANY($1::text[])
         AND ((status = 'queued' AND run_after <= $4::timestamptz)
              OR (status = 'running' AND locked_until <= $4::timestamptz))
       ORDER BY run_after, id
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     )
     UPDATE jobs SET status = 'running', attempts = jobs.attempts + 1, updated_at = $4::timestamptz,
       locked_until = $4::timestamptz + $3::integer * interval '1 millisecond'
     FROM due WHERE jobs.id = due.id
     RETURNING jobs.id, jobs.client_id, jobs.kind, jobs.payload, jobs.attempts`,
    [kinds, limit, Math.max(1, Math.round(leaseMs)), now],
  );
  // UPDATE ... RETURNING has no defined order; callers get the oldest first.
  return rows.map(toJob).sort((left, right) => left.id - right.id);
}

/**
 * Jobs of these kinds not finished yet: queued (due or waiting for a retry) and
 * running. Dead and done jobs do not count. Any client: the queue is shared.
 */
export async function countPendingJobs(database: Database, kinds: string[]): Promise<number> {
  if (kinds.length === 0) return 0;
  const [row] = await database.query(
    `SELECT count(*) AS pending FROM jobs
     WHERE kind = ANY($1::text[]) AND status IN ('queued', 'running')`,
    [kinds],
  );
  return row ? integer(row, 'pending') : 0;
}

export async function completeJob(database: Database, jobId: number, now: Date): Promise<void> {
  await database.query(
    `UPDATE jobs SET status = 'done', locked_until = NULL, updated_at = $2 WHERE id = $1`,
    [jobId, now],
  );
}

/** Back to the queue after `retryInMs`, or dead once it has been attempted `maxAttempts` times. */
export async function failJob(
  database: Database,
  jobId: number,
  error: string,
  retryInMs: number,
  maxAttempts: number,
  now: Date,
): Promise<void> {
  await database.query(
    `UPDATE jobs SET
       status = CASE WHEN attempts >= $3 THEN 'dead' ELSE 'queued' END,
       run_after = $5::timestamptz + $4::integer * interval '1 millisecond',
       locked_until = NULL, last_error = $2, updated_at = $5::timestamptz
     WHERE id = $1`,
    [jobId, error, maxAttempts, Math.max(0, Math.round(retryInMs)), now],
  );
}
