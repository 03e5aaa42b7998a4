import type { Logger } from 'pino';
import { type ApiKeys, type AuthContext, keyIdOf } from './api-keys.js';
import type { ServerMetrics } from './metrics.js';
import { ServerError } from './server-error.js';
import { KeyedRateLimiter } from './token-bucket.js';

export interface AuthGuardOptions {
  apiKeys: ApiKeys;
  /** The `rateLimited` metric's label for refusals: `rest`'s or `grpc`'s auth. */
  surface: string;
  metrics?: ServerMetrics;
  logger?: Logger;
  /** Failed attempts an address or a key id may make in a burst before it is refused for `blockMs`. Default 20. */
  failureBurst?: number;
  /** Failed attempts an address or a key id earns back per second. Default 1. */
  failuresPerSecond?: number;
  /** Default 30 000. */
  blockMs?: number;
  now?: () => number;
}

const MAX_BLOCKED = 10_000;

/**
 * Authentication with a throttle on failures, for REST and gRPC alike. Failures are
 * counted per address and per presented key id; an address or key id past its budget
 * is refused (429 / RESOURCE_EXHAUSTED) for `blockMs` without a store read, since each
 * failed lookup costs the store a query and a flood of them slowed every client.
 *
 * A valid key is never refused for others' failures: behind a NAT or a load balancer
 * one address is many clients, and anyone can present another key's id. While
 * blocked, a key is still checked against the keys the server knows
 * (`ApiKeys.authenticateKnown`: memory, refreshed from the store at most every few
 * seconds whatever the request rate), and a valid one passes.
 */
export class AuthGuard {
  readonly #apiKeys: ApiKeys;
  readonly #surface: string;
  readonly #metrics: ServerMetrics | undefined;
  readonly #logger: Logger | undefined;
  readonly #failures: KeyedRateLimiter;
  readonly #blocked = new Map<string, number>();
  readonly #blockMs: number;
  readonly #now: () => number;

  constructor(options: AuthGuardOptions) {
    this.#apiKeys = options.apiKeys;
    this.#surface = options.surface;
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#blockMs = options.blockMs ?? 30_000;
    this.#failures = new KeyedRateLimiter({
      capacity: options.failureBurst ?? 20,
      refillPerSecond: options.failuresPerSecond ?? 1,
      now: this.#now,
    });
  }

  /** Throws `authentication_failed`, or `rate_limited` for a blocked address or key id. */
  async authenticate(key: string | undefined, address: string): Promise<AuthContext> {
    const keyId = keyIdOf(key);
    const now = this.#now();
    const blockedUntil = Math.max(
      this.#blocked.get(`address:${address}`) ?? 0,
      keyId ? (this.#blocked.get(`key:${keyId}`) ?? 0) : 0,
    );
    if (blockedUntil > now) {
      const known = await this.#apiKeys.authenticateKnown(key);
      if (known) return known;
      this.#metrics?.rateLimited.inc({ surface: this.#surface });
      throw new ServerError({
        code: 'rate_limited',
        detail: 'too many failed authentications; retry later',
        retryAfterSeconds: Math.max(1, Math.ceil((blockedUntil - now) / 1000)),
      });
    }
    try {
      return await this.#apiKeys.authenticate(key);
    } catch (error) {
      if (error instanceof ServerError && error.code === 'authentication_failed') {
        this.#recordFailure(`address:${address}`, now);
        if (keyId) this.#recordFailure(`key:${keyId}`, now);
      }
      throw error;
    }
  }

  #recordFailure(subject: string, now: number): void {
    if (this.#failures.take(subject).ok) return;
    if (this.#blocked.size >= MAX_BLOCKED) {
      for (const [blocked, until] of this.#blocked) if (until <= now) this.#blocked.delete(blocked);
    }
    if (this.#blocked.size < MAX_BLOCKED) this.#blocked.set(subject, now + this.#blockMs);
    // The address or the key's id only: never the secret that was presented.
    this.#logger?.warn(
      { subject, surface: this.#surface },
      'repeated failed authentication; refused for a while',
    );
  }
}
