import type { Database } from './database.js';
import type { JobRecord } from './records.js';
import { integer, toJob } from './row-mapping.js';

export async function enqueueJob(
  database: Database,
  clientId: string,
  kind: string,
  payload: Record<string, unknown>,
): Promise<number> {
  const [row] = await database.query(
    'INSERT INTO jobs (client_id, kind, payload) VALUES ($1, $2, $3::text::jsonb) RETURNING id',
    [clientId, kind, JSON.stringify(payload)],
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
): Promise<JobRecord[]> {
  if (kinds.length === 0 || limit <= 0) return [];
  const rows = await database.query(
    `WITH due AS (
       SELECT id FROM jobs
       WHERE kind = ANY($1::text[])
         AND ((status = 'queued' AND run_after <= now()) OR (status = 'running' AND locked_until <= now()))
       ORDER BY run_after, id
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     )
     UPDATE jobs SET status = 'running', attempts = jobs.attempts + 1, updated_at = now(),
       locked_until = now() + $3::integer * interval '1 millisecond'
     FROM due WHERE jobs.id = due.id
     RETURNING jobs.id, jobs.client_id, jobs.kind, jobs.payload, jobs.attempts`,
    [kinds, limit, Math.max(1, Math.round(leaseMs))],
  );
  // UPDATE ... RETURNING has no defined order; callers get the oldest first.
  return rows.map(toJob).sort((left, right) => left.id - right.id);
}

export async function completeJob(database: Database, jobId: number): Promise<void> {
  await database.query(
    `UPDATE jobs SET status = 'done', locked_until = NULL, updated_at = now() WHERE id = $1`,
    [jobId],
  );
}

/** Back to the queue after `retryInMs`, or dead once it has been attempted `maxAttempts` times. */
export async function failJob(
  database: Database,
  jobId: number,
  error: string,
  retryInMs: number,
  maxAttempts: number,
): Promise<void> {
  await database.query(
    `UPDATE jobs SET
       status = CASE WHEN attempts >= $3 THEN 'dead' ELSE 'queued' END,
       run_after = now() + $4::integer * interval '1 millisecond',
       locked_until = NULL, last_error = $2, updated_at = now()
     WHERE id = $1`,
    [jobId, error, maxAttempts, Math.max(0, Math.round(retryInMs))],
  );
}
