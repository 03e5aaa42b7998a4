import type { Metadata } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { ApiKeys, AuthContext } from '../api-keys.js';
import { bearerKey } from '../api-keys.js';
import { AuthGuard } from '../auth-guard.js';
import type { ServerMetrics } from '../metrics.js';

export interface CallAuthenticatorOptions {
  apiKeys: ApiKeys;
  metrics?: ServerMetrics;
  logger?: Logger;
  /** Failed attempts an address or key id may make in a burst before it is refused for `blockMs`. Default 20. */
  failureBurst?: number;
  /** Failed attempts earned back per second. Default 1. */
  failuresPerSecond?: number;
  /** Default 30 000. */
  blockMs?: number;
  now?: () => number;
}

/**
 * Authenticates a gRPC call from its metadata (`authorization: Bearer <key>`;
 * `x-client-id` and `x-instance-id` are accepted, possibly empty, and not trusted).
 * An address or key id that keeps presenting bad keys (the reference client reconnects
 * forever on UNAUTHENTICATED) is refused for a while without a store lookup; a valid
 * key never is (AuthGuard).
 */
export class CallAuthenticator {
  readonly #guard: AuthGuard;

  constructor(options: CallAuthenticatorOptions) {
    this.#guard = new AuthGuard({ ...options, surface: 'grpc_auth' });
  }

  /** Throws `authentication_failed`, or `rate_limited` for a blocked address or key id. */
  authenticate(metadata: Metadata, peer: string): Promise<AuthContext> {
    const header = metadata.get('authorization')[0];
    return this.#guard.authenticate(
      bearerKey(typeof header === 'string' ? header : undefined),
      peerHost(peer),
    );
  }
}

/** `ipv4:10.0.0.1:5000`, `10.0.0.1:5000`, `[::1]:5000` → the address without the port. */
export function peerHost(peer: string): string {
  return peer.replace(/^ipv[46]:/, '').replace(/:\d+$/, '');
}
