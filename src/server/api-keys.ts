import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ApiKeyRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { ServerError } from './server-error.js';

/** What a valid key grants: the tenant every query of the request is scoped to. */
export interface AuthContext {
  clientId: string;
  clientMode: 'b2c' | 'b2b';
  keyId: string;
  instanceId: string;
}

const KEY_PATTERN = /^fsk_([a-z0-9]{12})_([A-Za-z0-9_-]{32,})$/;

/** The shape every key must have, in words, for errors that name the setting. */
export const API_KEY_RULE =
  'must look like fsk_<12 lowercase letters or digits>_<32+ url-safe characters>';

/** Whether a string has the shape of a key (it says nothing of whether the key exists). */
export function isApiKeyFormat(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/**
 * API keys look like `fsk_<id>_<secret>`. The id finds the row; only an HMAC-SHA256 of
 * the secret under the server secret is stored, and it is compared in constant time.
 * HMAC rather than a slow KDF: keys are 192 random bits, so there is nothing to
 * brute-force, and every request pays the check.
 */
export class ApiKeys {
  readonly #store: Store;
  readonly #secret: Buffer;
  readonly #verified: LRUCache<string, AuthContext>;
  /** Every valid key id this process knows, with its hash: the check that needs no store read. */
  readonly #known = new LRUCache<string, { secretHash: string; auth: AuthContext }>({
    max: 100_000,
  });
  readonly #knownRefreshMs: number;
  readonly #now: () => number;
  #knownRefreshedAt = Number.NEGATIVE_INFINITY;
  #knownRefresh: Promise<void> = Promise.resolve();

  /**
   * Verified keys are remembered for `verifiedTtlMs` (default 5000), sparing two store
   * reads per request; a key revoked by another process stops working within that time.
   * `authenticateKnown` reloads the known keys at most every `knownRefreshMs` (default 5000).
   */
  constructor(
    store: Store,
    serverSecret: string | Buffer,
    options: { verifiedTtlMs?: number; knownRefreshMs?: number; now?: () => number } = {},
  ) {
    this.#store = store;
    this.#secret = Buffer.from(serverSecret);
    this.#verified = new LRUCache({ max: 10_000, ttl: options.verifiedTtlMs ?? 5000 });
    this.#knownRefreshMs = options.knownRefreshMs ?? 5000;
    this.#now = options.now ?? Date.now;
  }

  /** Mints a key for a client; the plain key is in the result only, never stored. */
  async create(options: {
    clientId: string;
    name: string;
    key?: string;
  }): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = options.key ?? `fsk_${randomId(12)}_${randomBytes(24).toString('base64url')}`;
    const match = KEY_PATTERN.exec(key);
    if (!match?.[1] || !match[2]) {
      throw ServerError.invalid('api_key', API_KEY_RULE);
    }
    const record = await this.#store.createApiKey({
      id: match[1],
      clientId: options.clientId,
      name: options.name,
      secretHash: this.#hash(match[2]),
      instanceId: `inst_${randomBytes(8).toString('hex')}`,
    });
    return { key, record };
  }

  /**
   * Registers a given key (a development key from config) unless it already exists,
   * so restarting with the same key is harmless. A revoked key stays revoked.
   */
  async ensure(options: { clientId: string; name: string; key: string }): Promise<ApiKeyRecord> {
    const match = KEY_PATTERN.exec(options.key);
    const existing = match?.[1] ? await this.#store.getApiKey(match[1]) : null;
    if (existing) {
      if (
        existing.clientId !== options.clientId ||
        existing.secretHash !== this.#hash(match?.[2] ?? '')
      ) {
        throw ServerError.invalid('api_key', 'its id is already taken by another key');
      }
      return existing;
    }
    return (await this.create(options)).record;
  }

  /** Resolves a bearer key to its tenant, or throws `authentication_failed`. */
  async authenticate(key: string | undefined): Promise<AuthContext> {
    const match = key ? KEY_PATTERN.exec(key) : null;
    // Keyed by the HMAC, never by the key itself, so memory holds no usable secret.
    const cacheKey = match?.[1] ? `${match[1]}:${this.#hash(match[2] ?? '')}` : undefined;
    const known = cacheKey ? this.#verified.get(cacheKey) : undefined;
    if (known) return known;
    const record = match?.[1] ? await this.#store.getApiKey(match[1]) : null;
    const given = Buffer.from(this.#hash(match?.[2] ?? ''), 'hex');
    const stored = Buffer.from(record?.secretHash ?? '', 'hex');
    const valid =
      record !== null && stored.length === given.length && timingSafeEqual(stored, given);
    if (!valid || !record || record.revokedAt) {
      throw new ServerError({
        code: 'authentication_failed',
        detail: 'invalid or revoked API key',
      });
    }
    const client = await this.#store.getClient(record.clientId);
    if (!client)
      throw new ServerError({
        code: 'authentication_failed',
        detail: 'invalid or revoked API key',
      });
    const auth: AuthContext = {
      clientId: client.id,
      clientMode: client.mode,
      keyId: record.id,
      instanceId: record.instanceId,
    };
    if (cacheKey) this.#verified.set(cacheKey, auth);
    this.#known.set(record.id, { secretHash: record.secretHash, auth });
    return auth;
  }

  /**
   * Checks a key against the keys this process knows, without a store read per call:
   * for callers refused store reads (a throttled address), so that a valid key still
   * passes. An id not known yet reloads the known keys from the store, at most once per
   * `knownRefreshMs` however many calls ask. Answers undefined for anything not valid.
   */
  async authenticateKnown(key: string | undefined): Promise<AuthContext | undefined> {
    const match = key ? KEY_PATTERN.exec(key) : null;
    if (!match?.[1]) return undefined;
    if (!this.#known.has(match[1])) await this.#refreshKnown();
    const known = this.#known.get(match[1]);
    if (!known) return undefined;
    const given = Buffer.from(this.#hash(match[2] ?? ''), 'hex');
    const stored = Buffer.from(known.secretHash, 'hex');
    return stored.length === given.length && timingSafeEqual(stored, given)
      ? known.auth
      : undefined;
  }

  #refreshKnown(): Promise<void> {
    const now = this.#now();
    if (now - this.#knownRefreshedAt < this.#knownRefreshMs) return this.#knownRefresh;
    this.#knownRefreshedAt = now;
    this.#knownRefresh = (async () => {
      const records = await this.#store.listApiKeys();
      const clients = new Map<string, Awaited<ReturnType<Store['getClient']>>>();
      for (const record of records) {
        if (record.revokedAt) {
          this.#known.delete(record.id);
          continue;
        }
        if (!clients.has(record.clientId))
          clients.set(record.clientId, await this.#store.getClient(record.clientId));
        const client = clients.get(record.clientId);
        if (!client) continue;
        this.#known.set(record.id, {
          secretHash: record.secretHash,
          auth: {
            clientId: client.id,
            clientMode: client.mode,
            keyId: record.id,
            instanceId: record.instanceId,
          },
        });
      }
    })().catch(() => {
      // A failed reload leaves what is known; the next one is due in knownRefreshMs.
    });
    return this.#knownRefresh;
  }

  /** Revokes a key; this process refuses it at once (others within `verifiedTtlMs`). */
  async revoke(keyId: string): Promise<boolean> {
    const revoked = await this.#store.revokeApiKey(keyId);
    this.#known.delete(keyId);
    for (const cacheKey of this.#verified.keys()) {
      if (cacheKey.startsWith(`${keyId}:`)) this.#verified.delete(cacheKey);
    }
    return revoked;
  }

  #hash(secret: string): string {
    return createHmac('sha256', this.#secret).update(secret).digest('hex');
  }
}

/** The id part of a well-formed key (`fsk_<id>_<secret>`), else undefined. */
export function keyIdOf(key: string | undefined): string | undefined {
  return key ? KEY_PATTERN.exec(key)?.[1] : undefined;
}

/** `Authorization: Bearer <key>` → key; anything else → undefined. */
export function bearerKey(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return match?.[1];
}

function randomId(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += alphabet[byte % alphabet.length];
  return id;
}

/**
 * The HMAC secret for key hashes: the configured one, else one generated on first start
 * and kept in the store, so the server and `foresight keys` agree without setup.
 */
export async function resolveKeySecret(
  store: Store,
  configured: string | undefined,
): Promise<string> {
  return (
    configured ??
    (await store.ensureSetting('api_key_secret', () => randomBytes(32).toString('hex')))
  );
}
