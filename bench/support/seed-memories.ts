import type { NewMemory } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { benchMemory } from './memory-corpus.js';
import { SeededRandom } from './seeded-random.js';

export interface SeedOptions {
  users: number;
  memoriesPerUser: number;
  /** Memories per `insertMemories` call (one transaction each). */
  batchSize: number;
  /** Calls in flight at once; only PostgreSQL gains from more than 1 (PGlite has one backend). */
  concurrency: number;
  /**
   * Seeding stops after the batch that crosses this, so a slow backend is measured at
   * a smaller scale instead of blowing the run's time bound. The caller must report it.
   */
  budgetMs: number;
  log: (line: string) => void;
}

export interface SeedOutcome {
  memories: number;
  /** Users 0 .. users-1 are fully seeded; only they are queried. */
  users: number;
  elapsedMs: number;
  /** True when the budget cut seeding short of `users × memoriesPerUser`. */
  truncated: boolean;
}

/**
 * Seeds `users × memoriesPerUser` memories through `store.insertMemories`, user by
 * user, so every batch holds whole users and a cut-off leaves no user half-seeded.
 */
export async function seedMemories(
  store: Store,
  clientId: string,
  options: SeedOptions,
): Promise<SeedOutcome> {
  const usersPerBatch = Math.max(1, Math.floor(options.batchSize / options.memoriesPerUser));
  const batches = Math.ceil(options.users / usersPerBatch);
  const started = performance.now();
  const deadline = started + options.budgetMs;
  const target = options.users * options.memoriesPerUser;
  const progressEvery = Math.max(1, Math.round(target / 10));
  let nextBatch = 0;
  let seededUsers = 0;
  let seeded = 0;
  let nextProgress = progressEvery;
  let truncated = false;

  const worker = async () => {
    for (;;) {
      if (performance.now() >= deadline) {
        truncated ||= nextBatch < batches;
        return;
      }
      const batch = nextBatch++;
      if (batch >= batches) return;
      const firstUser = batch * usersPerBatch;
      const lastUser = Math.min(options.users, firstUser + usersPerBatch);
      const memories: NewMemory[] = [];
      // One generator per user: the same user gets the same memories whatever the order.
      for (let user = firstUser; user < lastUser; user++) {
        const random = new SeededRandom(user + 1);
        for (let index = 0; index < options.memoriesPerUser; index++) {
          memories.push(benchMemory(user, random));
        }
      }
      await store.insertMemories(clientId, memories);
      seeded += memories.length;
      seededUsers = Math.max(seededUsers, lastUser);
      if (seeded >= nextProgress) {
        nextProgress += progressEvery;
        const seconds = (performance.now() - started) / 1000;
        options.log(
          `seeded ${seeded.toLocaleString('en-US')} / ${target.toLocaleString('en-US')} memories ` +
            `(${seconds.toFixed(1)} s, ${Math.round(seeded / seconds)}/s)`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return {
    memories: seeded,
    users: seededUsers,
    elapsedMs: performance.now() - started,
    truncated,
  };
}
