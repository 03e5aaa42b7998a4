import type { Command } from 'commander';
import { ApiKeys, resolveKeySecret } from '../server/api-keys.js';
import { DEFAULT_CLIENT_ID } from '../server/default-client.js';
import type { Store } from '../store/store.js';
import {
  addStoreFlags,
  openChosenStore,
  resolveStoreFlags,
  type StoreFlags,
} from './store-flags.js';

/**
 * `foresight keys create|list|revoke`. They open the store directly: with the embedded
 * store, run them while the server is stopped (PGlite allows one process at a time).
 */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('Create, list and revoke API keys.');

  addStoreFlags(
    keys
      .command('create')
      .description('Mint an API key; it is printed once and stored only as a hash.')
      .requiredOption('--name <name>', 'a label for the key')
      .option('--client <id>', 'the tenant the key belongs to', DEFAULT_CLIENT_ID)
      .option('--b2b', 'create the tenant as B2B (customer_id required with user_id)'),
  ).action(async (flags: StoreFlags & { name: string; client: string; b2b?: boolean }) => {
    await withStore(flags, async (store) => {
      const existing = await store.getClient(flags.client);
      await store.upsertClient({
        id: flags.client,
        name: existing?.name ?? flags.client,
        mode: flags.b2b ? 'b2b' : (existing?.mode ?? 'b2c'),
      });
      const { key, record } = await (await apiKeys(store)).create({
        clientId: flags.client,
        name: flags.name,
      });
      console.log(key);
      console.error(
        `created key ${record.id} (${record.name}) for client ${record.clientId}; it will not be shown again`,
      );
    });
  });

  addStoreFlags(
    keys
      .command('list')
      .description('List keys (never their secrets).')
      .option('--client <id>', 'only this tenant'),
  ).action(async (flags: StoreFlags & { client?: string }) => {
    await withStore(flags, async (store) => {
      const rows = await store.listApiKeys(flags.client);
      if (rows.length === 0) console.log('no keys');
      for (const row of rows) {
        const state = row.revokedAt ? `revoked ${row.revokedAt.toISOString()}` : 'active';
        console.log(
          `${row.id}  ${row.clientId}  ${row.name}  ${state}  created ${row.createdAt.toISOString()}`,
        );
      }
    });
  });

  addStoreFlags(
    keys
      .command('revoke')
      .description('Revoke a key by its id (the part after fsk_).')
      .argument('<id>', 'key id'),
  ).action(async (id: string, flags: StoreFlags) => {
    await withStore(flags, async (store) => {
      if (!(await (await apiKeys(store)).revoke(id))) throw new Error(`no key with id ${id}`);
      console.log(`revoked ${id}`);
    });
  });
}

async function apiKeys(store: Store): Promise<ApiKeys> {
  return new ApiKeys(
    store,
    await resolveKeySecret(store, process.env.FORESIGHT_SERVER_SECRET || undefined),
  );
}

async function withStore(flags: StoreFlags, fn: (store: Store) => Promise<void>): Promise<void> {
  const store = await openChosenStore(resolveStoreFlags(flags));
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}
