import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Store } from '../store/store.js';
import { checkDatabaseSchema, checkDatabaseUrl, checkDataDir, redactedUrl } from './flag-checks.js';
import { reachDatabase } from './preflight.js';
import { type Setting, setting } from './setting.js';

export interface StoreFlags {
  dataDir?: string;
  databaseUrl?: string;
  databaseSchema?: string;
}

/** The flags that choose a store, shared by every command that opens one. */
export function addStoreFlags(command: Command): Command {
  return command
    .option(
      '--data-dir <dir>',
      'PGlite data directory (env FORESIGHT_DATA_DIR, default .foresight/data)',
    )
    .option('--database-url <url>', 'PostgreSQL instead of PGlite (env DATABASE_URL)')
    .option(
      '--database-schema <name>',
      'PostgreSQL schema (env FORESIGHT_DB_SCHEMA, default public)',
    );
}

/** The store a command opens, checked flag by flag before anything is created. */
export type StoreChoice =
  | { backend: 'pglite'; dataDir: string; source: Setting }
  | { backend: 'postgres'; databaseUrl: string; schema?: string; source: Setting };

/**
 * Flags over env over the default, each checked (a `UsageError` naming the flag):
 * PostgreSQL when a URL is given, else PGlite in the data directory.
 */
export function resolveStoreFlags(
  flags: StoreFlags,
  defaultDataDir = '.foresight/data',
  env: NodeJS.ProcessEnv = process.env,
): StoreChoice {
  const url = setting(flags.databaseUrl, '--database-url', 'DATABASE_URL', env);
  const schema = setting(flags.databaseSchema, '--database-schema', 'FORESIGHT_DB_SCHEMA', env);
  if (url) {
    return {
      backend: 'postgres',
      databaseUrl: checkDatabaseUrl(url),
      ...(schema ? { schema: checkDatabaseSchema(schema) } : {}),
      source: url,
    };
  }
  const dir = setting(flags.dataDir, '--data-dir', 'FORESIGHT_DATA_DIR', env) ?? {
    value: defaultDataDir,
    name: '--data-dir',
  };
  return { backend: 'pglite', dataDir: checkDataDir(dir), source: dir };
}

/** `openStore` options of a checked choice. */
export function storeOptions(choice: StoreChoice) {
  return choice.backend === 'postgres'
    ? { databaseUrl: choice.databaseUrl, ...(choice.schema ? { schema: choice.schema } : {}) }
    : { dataDir: choice.dataDir };
}

/** One line for a person: where the data is. */
export function describeStore(choice: StoreChoice): string {
  return choice.backend === 'postgres'
    ? `postgres ${redactedUrl(choice.databaseUrl)}${choice.schema ? ` (schema ${choice.schema})` : ''}`
    : `pglite ${resolve(choice.dataDir)}`;
}

/** Opens (and migrates) the chosen store, once a PostgreSQL URL proved reachable. */
export async function openChosenStore(choice: StoreChoice): Promise<Store> {
  if (choice.backend === 'postgres') await reachDatabase(choice.source);
  // Loaded here, not at the top: a bad flag is refused without loading PGlite.
  const { openStore } = await import('../store/index.js');
  return openStore(storeOptions(choice));
}
