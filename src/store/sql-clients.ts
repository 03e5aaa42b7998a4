import type { Database } from './database.js';
import type { ApiKeyRecord, ClientMode, ClientRecord } from './records.js';
import { text, toApiKey, toClient } from './row-mapping.js';

const API_KEY_COLUMNS =
  'id, client_id, name, secret_hash, instance_id, created_at, revoked_at, last_used_at';

export async function upsertClient(
  database: Database,
  client: { id: string; name: string; mode: ClientMode },
): Promise<ClientRecord> {
  const [row] = await database.query(
    `INSERT INTO clients (id, name, mode) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, mode = excluded.mode
     RETURNING id, name, mode, created_at`,
    [client.id, client.name, client.mode],
  );
  if (!row) throw new Error('store: client upsert returned no row');
  return toClient(row);
}

export async function getClient(
  database: Database,
  clientId: string,
): Promise<ClientRecord | null> {
  const [row] = await database.query(
    'SELECT id, name, mode, created_at FROM clients WHERE id = $1',
    [clientId],
  );
  return row ? toClient(row) : null;
}

export async function createApiKey(
  database: Database,
  key: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt' | 'lastUsedAt'>,
): Promise<ApiKeyRecord> {
  const [row] = await database.query(
    `INSERT INTO api_keys (id, client_id, name, secret_hash, instance_id) VALUES ($1, $2, $3, $4, $5)
     RETURNING ${API_KEY_COLUMNS}`,
    [key.id, key.clientId, key.name, key.secretHash, key.instanceId],
  );
  if (!row) throw new Error('store: api key insert returned no row');
  return toApiKey(row);
}

/** Looked up by the key's public id before the tenant is known: authentication finds the tenant. */
export async function getApiKey(database: Database, keyId: string): Promise<ApiKeyRecord | null> {
  const [row] = await database.query(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = $1`, [
    keyId,
  ]);
  return row ? toApiKey(row) : null;
}

export async function listApiKeys(database: Database, clientId?: string): Promise<ApiKeyRecord[]> {
  const rows = await database.query(
    `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE ($1::text IS NULL OR client_id = $1)
     ORDER BY created_at, id`,
    [clientId ?? null],
  );
  return rows.map(toApiKey);
}

export async function revokeApiKey(database: Database, keyId: string, now: Date): Promise<boolean> {
  // coalesce keeps the first revocation time when a key is revoked twice.
  const rows = await database.query(
    'UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING id',
    [keyId, now],
  );
  return rows.length > 0;
}

/** The stored value, or `create()` stored first; when replicas race, the first insert wins. */
export async function ensureSetting(
  database: Database,
  name: string,
  create: () => string,
): Promise<string> {
  const [existing] = await database.query('SELECT value FROM settings WHERE name = $1', [name]);
  if (existing) return text(existing, 'value');
  await database.query(
    'INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
    [name, create()],
  );
  const [stored] = await database.query('SELECT value FROM settings WHERE name = $1', [name]);
  if (!stored) throw new Error(`store: setting ${name} vanished`);
  return text(stored, 'value');
}
