import type { Metadata } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { type ApiKeys, type AuthContext, bearerKey } from '../api-keys.js';
import type { ServerMetrics } from '../metrics.js';
import { ServerError } from '../server-error.js';
import { KeyedRateLimiter } from '../token-bucket.js';

export interface CallAuthenticatorOptions {
  apiKeys: ApiKeys;
  metrics?: ServerMetrics;
  logger?: Logger;
  /** Failed attempts a peer may make in a burst before it is refused for `blockMs`. Default 20. */
  failureBurst?: number;
  /** Failed attempts a peer earns back per second. Default 1. */
  failuresPerSecond?: number;
  /** Default 30 000. */
  blockMs?: number;
  now?: () => number;
}

const MAX_BLOCKED_PEERS = 10_000;

/**
 * Authenticates a gRPC call from its metadata (`authorization: Bearer <key>`;
 * `x-client-id` and `x-instance-id` are accepted, possibly empty, and not trusted).
 * A peer that keeps presenting bad keys (the reference client reconnects forever on
 * UNAUTHENTICATED) is refused for a while without a store lookup.
 */
export class CallAuthenticator {
  readonly #apiKeys: ApiKeys;
  readonly #metrics: ServerMetrics | undefined;
  readonly #logger: Logger | undefined;
  readonly #failures: KeyedRateLimiter;
  readonly #blocked = new Map<string, number>();
  readonly #blockMs: number;
  readonly #now: () => number;

  constructor(options: CallAuthenticatorOptions) {
    this.#apiKeys = options.apiKeys;
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

  /** Throws `authentication_failed`, or `rate_limited` for a blocked peer. */
  async authenticate(metadata: Metadata, peer: string): Promise<AuthContext> {
    const host = peerHost(peer);
    const now = this.#now();
    const blockedUntil = this.#blocked.get(host);
    if (blockedUntil !== undefined && blockedUntil > now) {
      this.#metrics?.rateLimited.inc({ surface: 'grpc_auth' });
      throw new ServerError({
        code: 'rate_limited',
        detail: 'too many failed authentications; retry later',
        retryAfterSeconds: Math.ceil((blockedUntil - now) / 1000),
      });
    }
    const header = metadata.get('authorization')[0];
    try {
      return await this.#apiKeys.authenticate(
        bearerKey(typeof header === 'string' ? header : undefined),
      );
    } catch (error) {
      if (error instanceof ServerError && error.code === 'authentication_failed') {
        this.#recordFailure(host, now);
      }
      throw error;
    }
  }

  #recordFailure(host: string, now: number): void {
    if (this.#failures.take(host).ok) return;
    if (this.#blocked.size >= MAX_BLOCKED_PEERS) {
      for (const [peer, until] of this.#blocked) if (until <= now) this.#blocked.delete(peer);
    }
    if (this.#blocked.size < MAX_BLOCKED_PEERS) this.#blocked.set(host, now + this.#blockMs);
    // The host only: never the key that was presented.
    this.#logger?.warn({ peer: host }, 'repeated failed authentication; peer refused for a while');
  }
}

/** `ipv4:10.0.0.1:5000`, `10.0.0.1:5000`, `[::1]:5000` → the address without the port. */
export function peerHost(peer: string): string {
  return peer.replace(/^ipv[46]:/, '').replace(/:\d+$/, '');
}
