import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { type Database, SCHEMA_LOCK_KEY, type StoreLogger, silentLogger } from './database.js';
import { integer, text } from './row-mapping.js';

/** One versioned SQL file of `migrations/`. */
export interface Migration {
  version: number;
  /** The file name, e.g. `001_initial.sql`. */
  name: string;
  sql: string;
  /** sha256 of the file, to notice a migration edited after it was applied. */
  checksum: string;
  /** Extensions the migration needs (`-- requires: vector`); it waits until they exist. */
  requires: string[];
}

export interface MigrationResult {
  /** Files applied by this call, in order. */
  applied: string[];
  /** Files left pending because an extension they require is missing. */
  waiting: string[];
}

/** Read at run time, next to this module: the build copies the .sql files to dist. */
export const MIGRATIONS_FOLDER = new URL('./migrations/', import.meta.url);

const FILE_NAME = /^(\d+)_[a-z0-9_]+\.sql$/;
const REQUIRES = /^--\s*requires:\s*(.+)$/gm;
const KNOWN_REQUIREMENTS = new Set(['vector']);

export async function loadMigrations(folder: URL = MIGRATIONS_FOLDER): Promise<Migration[]> {
  const names = (await readdir(folder)).filter((name) => name.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const name of names) {
    const version = Number(FILE_NAME.exec(name)?.[1]);
    if (!Number.isSafeInteger(version))
      throw new Error(`migration ${name} must be named NNN_words.sql`);
    if (migrations.some((migration) => migration.version === version)) {
      throw new Error(`two migrations share version ${version}`);
    }
    const sql = await readFile(new URL(name, folder), 'utf8');
    const requires = [...sql.matchAll(REQUIRES)].flatMap((match) =>
      (match[1] ?? '').split(/[\s,]+/).filter(Boolean),
    );
    const unknown = requires.find((requirement) => !KNOWN_REQUIREMENTS.has(requirement));
    if (unknown) throw new Error(`migration ${name} requires unknown extension ${unknown}`);
    const checksum = createHash('sha256').update(sql).digest('hex');
    migrations.push({ version, name, sql, checksum, requires });
  }
  return migrations;
}

/**
 * Applies the pending migrations in version order, each in its own transaction and
 * recorded in `schema_migrations`. Everything happens under a session advisory lock,
 * so replicas starting together take turns and the later ones find nothing to do.
 */
export async function migrate(
  database: Database,
  options: { logger?: StoreLogger; folder?: URL } = {},
): Promise<MigrationResult> {
  const logger = options.logger ?? silentLogger;
  const migrations = await loadMigrations(options.folder);
  return database.session(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
    try {
      await session.exec(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version     integer PRIMARY KEY,
           name        text NOT NULL,
           checksum    text NOT NULL,
           applied_at  timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const rows = await session.query('SELECT version, name, checksum FROM schema_migrations');
      const recorded = new Map(rows.map((row) => [integer(row, 'version'), text(row, 'checksum')]));
      const known = new Set(migrations.map((migration) => migration.version));
      const unknown = [...recorded.keys()].filter((version) => !known.has(version));
      if (unknown.length > 0) {
        logger.warn(
          { versions: unknown },
          'the database has migrations this version does not know',
        );
      }
      const result: MigrationResult = { applied: [], waiting: [] };
      for (const migration of migrations) {
        const checksum = recorded.get(migration.version);
        if (checksum !== undefined) {
          if (checksum !== migration.checksum) {
            logger.warn(
              { migration: migration.name },
              'migration file changed after it was applied',
            );
          }
          continue;
        }
        if (migration.requires.includes('vector') && !database.vectors) {
          logger.info({ migration: migration.name }, 'migration waits for pgvector');
          result.waiting.push(migration.name);
          continue;
        }
        await session.transaction(async (transaction) => {
          await transaction.exec(migration.sql);
          await transaction.query(
            'INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)',
            [migration.version, migration.name, migration.checksum],
          );
        });
        logger.info({ migration: migration.name }, 'migration applied');
        result.applied.push(migration.name);
      }
      return result;
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK_KEY]);
    }
  });
}
