import type { Database } from '../../src/store/database.js';

const EXTRACTION_JOB = 'extraction';
const POLL_MS = 10;

/**
 * Tells when the server's background extraction has caught up. The server answers a
 * recording before it enqueues the extraction job, so "no job pending" alone could be
 * read before the job exists: the watcher also counts the jobs it expects (one per
 * recording call that carried a user turn) and waits until that many have finished.
 */
export class ExtractionWatch {
  readonly #database: Database;
  readonly #expected = new Map<string, number>();

  constructor(database: Database) {
    this.#database = database;
  }

  /** One more extraction job will be queued for this client. */
  expect(clientId: string): void {
    this.#expected.set(clientId, (this.#expected.get(clientId) ?? 0) + 1);
  }

  /**
   * Resolves once every expected job is done; throws naming the client when `timeoutMs`
   * passes first, or when a job died (its memories would be missing from every score).
   */
  async settled(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const rows = await this.#database.query(
        `SELECT client_id,
           count(*) FILTER (WHERE status = 'done')::int AS done,
           count(*) FILTER (WHERE status = 'dead')::int AS dead,
           max(last_error) AS last_error
         FROM jobs WHERE kind = $1 GROUP BY client_id`,
        [EXTRACTION_JOB],
      );
      const lagging: string[] = [];
      for (const [clientId, expected] of this.#expected) {
        const row = rows.find((candidate) => candidate.client_id === clientId);
        if (Number(row?.dead ?? 0) > 0) {
          throw new Error(`extraction job died for ${clientId}: ${String(row?.last_error)}`);
        }
        const done = Number(row?.done ?? 0);
        if (done < expected) lagging.push(`${clientId} ${done}/${expected}`);
      }
      if (lagging.length === 0) return;
      if (performance.now() > deadline) {
        throw new Error(
          `extraction did not finish within ${timeoutMs} ms (done/expected: ${lagging.join(', ')})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
