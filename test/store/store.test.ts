import { afterAll, beforeAll, describe } from 'vitest';
import type { StoreLogger } from '../../src/store/database.js';
import type { Store } from '../../src/store/store.js';
import { bundleBehaviours } from './behaviours/bundles.js';
import { clientBehaviours } from './behaviours/clients.js';
import { compactionBehaviours } from './behaviours/compactions.js';
import { ingestBehaviours } from './behaviours/ingest.js';
import { jobBehaviours } from './behaviours/jobs.js';
import { memoryBehaviours } from './behaviours/memories.js';
import { memoryBatchBehaviours } from './behaviours/memory-batches.js';
import { messageBatchBehaviours } from './behaviours/message-batches.js';
import { messageBehaviours } from './behaviours/messages.js';
import { migrationBehaviours } from './behaviours/migrations.js';
import { ownedMemoryBehaviours } from './behaviours/owned-memories.js';
import { tenancyBehaviours } from './behaviours/tenancy.js';
import { pgliteBackend, postgresBackend, RecordingLogger } from './store-backends.js';
import type { SuiteContext } from './suite-context.js';

// One suite, both backends: the same SQL must behave the same on each. Each describe
// block opens its store once (PGlite's first open costs seconds) and every test works
// in a tenant of its own, so tests do not see each other's rows.
describe.each([
  { name: 'pglite', create: pgliteBackend },
  { name: 'postgres', create: postgresBackend },
])('Store on $name', ({ create }) => {
  const backend = create();
  const openLogger = new RecordingLogger();
  let current: Store | undefined;
  const context: SuiteContext = {
    backend,
    openLogger,
    store() {
      if (!current) throw new Error('the store is not open');
      return current;
    },
    async reopen(logger?: StoreLogger) {
      await current?.close();
      current = undefined;
      current = await backend.open(logger);
      return current;
    },
  };

  beforeAll(async () => {
    current = await backend.open(openLogger);
  });

  afterAll(async () => {
    await current?.close();
    await backend.destroy();
  });

  migrationBehaviours(context);
  clientBehaviours(context);
  messageBehaviours(context);
  messageBatchBehaviours(context);
  ingestBehaviours(context);
  tenancyBehaviours(context);
  memoryBehaviours(context);
  ownedMemoryBehaviours(context);
  memoryBatchBehaviours(context);
  bundleBehaviours(context);
  compactionBehaviours(context);
  jobBehaviours(context);
});
