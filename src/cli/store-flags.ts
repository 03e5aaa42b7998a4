import type { Command } from 'commander';

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

export function storeOptions(flags: StoreFlags, env: NodeJS.ProcessEnv = process.env) {
  const databaseUrl = flags.databaseUrl ?? (env.DATABASE_URL || undefined);
  const schema = flags.databaseSchema ?? (env.FORESIGHT_DB_SCHEMA || undefined);
  if (databaseUrl) return { databaseUrl, ...(schema ? { schema } : {}) };
  return { dataDir: flags.dataDir ?? env.FORESIGHT_DATA_DIR ?? '.foresight/data' };
}
