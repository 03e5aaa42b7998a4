import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { API_KEY_RULE, isApiKeyFormat } from '../server/api-keys.js';
import { SCHEMA_NAME } from '../store/postgres-database.js';
import type { Setting } from './setting.js';
import { UsageError } from './usage-error.js';

/**
 * Checks of one flag each, run before a command creates or opens anything. Each throws
 * a `UsageError` whose one line names the flag (or its env variable), the rule, what
 * was given and what to do instead.
 */

export function checkPort(port: Setting): number {
  const value = port.value.trim();
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number > 65535)
    throw new UsageError(
      `${port.name}: must be a port number from 0 to 65535, got ${JSON.stringify(port.value)}; 0 picks a free one`,
    );
  return number;
}

export function checkClientMode(mode: Setting): 'b2c' | 'b2b' {
  if (mode.value === 'b2c' || mode.value === 'b2b') return mode.value;
  throw new UsageError(
    `${mode.name}: must be b2c or b2b, got ${JSON.stringify(mode.value)}; b2b makes every user id come with its customer id`,
  );
}

export function checkApiKey(key: Setting): string {
  if (isApiKeyFormat(key.value)) return key.value;
  throw new UsageError(
    `${key.name}: ${API_KEY_RULE}, got a value that does not; mint one with \`foresight keys create --name dev\` or leave the flag out`,
  );
}

/**
 * The PGlite directory: missing is fine (it is created), an existing directory is
 * fine; a file at the path or anywhere above it is not.
 */
export function checkDataDir(dir: Setting): string {
  const path = resolve(dir.value);
  for (let at = path; ; at = dirname(at)) {
    const stat = statOrAbove(at);
    if (stat && !stat.isDirectory())
      throw new UsageError(
        `${dir.name}: must be a directory (created if missing), but ${at} is a file; pass another path`,
      );
    if (stat || dirname(at) === at) return dir.value;
  }
}

/** The path's stat; undefined when missing or when a file above it is in the way. */
function statOrAbove(path: string) {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** A `postgres://` or `postgresql://` URL; the error never shows a password. */
export function checkDatabaseUrl(url: Setting): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url.value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:'))
    throw new UsageError(
      `${url.name}: must be a URL like postgres://user@host:5432/database, got ${JSON.stringify(redactedUrl(url.value))}`,
    );
  return url.value;
}

export function checkDatabaseSchema(schema: Setting): string {
  if (SCHEMA_NAME.test(schema.value)) return schema.value;
  throw new UsageError(
    `${schema.name}: must be a lowercase name of letters, digits and _ (at most 63, not starting with a digit), got ${JSON.stringify(schema.value)}`,
  );
}

/** The URL for an error line: its password, if any, replaced. */
export function redactedUrl(value: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}

/** The REST URL of a context service: absolute, http or https. */
export function checkServiceUrl(url: Setting): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url.value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
    throw new UsageError(
      `${url.name}: must be an http or https URL like http://127.0.0.1:8420, got ${JSON.stringify(url.value)}; start it with http://`,
    );
  return url.value;
}
