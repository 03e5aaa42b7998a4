import { rm } from 'node:fs/promises';
import { pino } from 'pino';
import { ApiKeys, type AuthContext } from '../../../src/server/api-keys.js';
import { openStore } from '../../../src/store/index.js';
import type { ClientMode } from '../../../src/store/records.js';
import type { Store } from '../../../src/store/store.js';
import { migratedPgliteDir } from '../../support/pglite-template.js';

/** Shared by the engine, events and gRPC tests: a real store, never a fake. */

export const silentLogger = pino({ level: 'silent' });

/** A PGlite store in a temp dir of its own (migrated already); `close` removes it. */
export async function openTestStore(): Promise<{ store: Store; close(): Promise<void> }> {
  const dir = migratedPgliteDir();
  const store = await openStore({ dataDir: dir });
  return {
    store,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A tenant with one API key. */
export async function addClient(
  store: Store,
  apiKeys: ApiKeys,
  id: string,
  mode: ClientMode = 'b2c',
): Promise<{ key: string; auth: AuthContext }> {
  await store.upsertClient({ id, name: id, mode });
  const { key } = await apiKeys.create({ clientId: id, name: `${id} key` });
  return { key, auth: await apiKeys.authenticate(key) };
}

export function newApiKeys(store: Store): ApiKeys {
  return new ApiKeys(store, 'test-server-secret');
}

/** The one memory builder of the tests, re-exported for this folder's tests. */
export { memory } from '../../support/memories.js';

export function conversationId(): string {
  return crypto.randomUUID();
}
