import type { Database } from '../../src/store/database.js';
import { benchMemory } from './memory-corpus.js';
import { SeededRandom } from './seeded-random.js';

export interface BulkSeedOptions {
  /** Users to seed, from bench user 0 up; each gets `memoriesPerUser`. */
  users: number;
  memoriesPerUser: number;
  /** Rows per INSERT statement. */
  rowsPerStatement?: number;
  /** Bench user index to start from (to grow an already seeded store). */
  firstUser?: number;
  seed?: number;
  log?: (line: string) => void;
}

/**
 * Seeds bench memories with one multi-row INSERT over `unnest` per few thousand rows:
 * about 20× faster than `store.insertMemories` (one statement a row), which is what
 * makes a million-row store reachable in a bench run. The rows are the same realistic
 * corpus as seed-memories.ts; none carries a subject key, so nothing supersedes.
 */
export async function bulkSeedMemories(
  database: Database,
  clientId: string,
  options: BulkSeedOptions,
): Promise<number> {
  const random = new SeededRandom(options.seed ?? 42);
  const perStatement = options.rowsPerStatement ?? 5000;
  const firstUser = options.firstUser ?? 0;
  const total = options.users * options.memoriesPerUser;
  const columns = {
    user: [] as string[],
    type: [] as string[],
    content: [] as string[],
    confidence: [] as number[],
    category: [] as (string | null)[],
    strength: [] as (number | null)[],
    significance: [] as (number | null)[],
    eventDate: [] as (string | null)[],
    temporal: [] as string[],
  };
  let written = 0;
  let nextLog = total / 10;
  const flush = async () => {
    if (columns.user.length === 0) return;
    await database.query(
      `INSERT INTO memories (client_id, id, scope, user_id, memory_type, content, confidence,
         category, strength, significance, event_date, temporal_category, metadata)
       SELECT $1, gen_random_uuid(), 'user', u, t, c, conf, cat, str, sig, ed, tc, '{"source":"bench"}'
       FROM unnest($2::text[], $3::text[], $4::text[], $5::real[], $6::text[], $7::real[],
                   $8::real[], $9::timestamptz[], $10::text[])
         AS row(u, t, c, conf, cat, str, sig, ed, tc)`,
      [
        clientId,
        columns.user,
        columns.type,
        columns.content,
        columns.confidence,
        columns.category,
        columns.strength,
        columns.significance,
        columns.eventDate,
        columns.temporal,
      ],
    );
    written += columns.user.length;
    for (const list of Object.values(columns)) list.length = 0;
    if (written >= nextLog) {
      options.log?.(`seeded ${written.toLocaleString('en')} / ${total.toLocaleString('en')}`);
      nextLog += total / 10;
    }
  };
  for (let user = firstUser; user < firstUser + options.users; user++) {
    for (let index = 0; index < options.memoriesPerUser; index++) {
      const memory = benchMemory(user, random);
      columns.user.push(memory.userId);
      columns.type.push(memory.memoryType);
      columns.content.push(memory.content);
      columns.confidence.push(memory.confidence);
      columns.category.push(memory.category);
      columns.strength.push(memory.strength);
      columns.significance.push(memory.significance);
      columns.eventDate.push(memory.eventDate?.toISOString() ?? null);
      columns.temporal.push(memory.temporalCategory);
      if (columns.user.length >= perStatement) await flush();
    }
  }
  await flush();
  // Fresh statistics, so the planner sees how selective a user is at this size.
  await database.query('ANALYZE memories');
  return written;
}
