/**
 * The Synap error hierarchy (wire.md): one base class, a closed set of codes, and
 * subclasses only where callers branch. `retryable` tells transient from permanent.
 * `SynapError.isInstance` works across duplicate copies of this package, where
 * `instanceof` does not.
 */
export type SynapErrorCode =
  | 'network_timeout'
  | 'rate_limited'
  | 'service_unavailable'
  | 'agent_unavailable'
  | 'invalid_input'
  | 'invalid_conversation_id'
  | 'invalid_instance_id'
  | 'authentication_failed'
  | 'context_not_found'
  | 'conflict'
  | 'insufficient_credits'
  | 'session_expired'
  | 'listening_already_active'
  | 'listening_not_active'
  | 'client_closed';

const MARKER = Symbol.for('foresight.SynapError');

export interface SynapErrorOptions {
  message: string;
  cause?: unknown;
  /** The request field at fault, when the error is about one. */
  field?: string;
  /** HTTP status or gRPC status code the error came from, if any. */
  status?: number;
}

export class SynapError extends Error {
  override name = 'SynapError';
  readonly code: SynapErrorCode;
  readonly retryable: boolean;
  readonly field: string | undefined;
  readonly status: number | undefined;

  constructor(code: SynapErrorCode, retryable: boolean, options: SynapErrorOptions) {
    super(options.message, { cause: options.cause });
    this.code = code;
    this.retryable = retryable;
    this.field = options.field;
    this.status = options.status;
    Object.defineProperty(this, MARKER, { value: true });
  }

  static isInstance(value: unknown): value is SynapError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[MARKER] === true
    );
  }
}

/** Worth retrying later: the service was slow, busy or unreachable. */
export class SynapTransientError extends SynapError {
  override name = 'SynapTransientError';
  constructor(code: SynapErrorCode, options: SynapErrorOptions) {
    super(code, true, options);
  }
}

/** Retrying the same call will fail the same way. */
export class SynapPermanentError extends SynapError {
  override name = 'SynapPermanentError';
  constructor(code: SynapErrorCode, options: SynapErrorOptions) {
    super(code, false, options);
  }
}

export class NetworkTimeoutError extends SynapTransientError {
  override name = 'NetworkTimeoutError';
  constructor(options: SynapErrorOptions) {
    super('network_timeout', options);
  }
}

export class RateLimitError extends SynapTransientError {
  override name = 'RateLimitError';
  /** How long the service asked us to wait, when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(options: SynapErrorOptions & { retryAfterMs?: number }) {
    super('rate_limited', options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

export class ServiceUnavailableError extends SynapTransientError {
  override name = 'ServiceUnavailableError';
  constructor(options: SynapErrorOptions) {
    super('service_unavailable', options);
  }
}

export class AgentUnavailableError extends SynapTransientError {
  override name = 'AgentUnavailableError';
  constructor(options: SynapErrorOptions) {
    super('agent_unavailable', options);
  }
}

export class InvalidInputError extends SynapPermanentError {
  override name = 'InvalidInputError';
  constructor(options: SynapErrorOptions, code: SynapErrorCode = 'invalid_input') {
    super(code, options);
  }
}

export class InvalidConversationIdError extends InvalidInputError {
  override name = 'InvalidConversationIdError';
  constructor(options: SynapErrorOptions) {
    super(options, 'invalid_conversation_id');
  }
}

export class InvalidInstanceIdError extends InvalidInputError {
  override name = 'InvalidInstanceIdError';
  constructor(options: SynapErrorOptions) {
    super(options, 'invalid_instance_id');
  }
}

export class AuthenticationError extends SynapPermanentError {
  override name = 'AuthenticationError';
  constructor(options: SynapErrorOptions) {
    super('authentication_failed', options);
  }
}

export class ContextNotFoundError extends SynapPermanentError {
  override name = 'ContextNotFoundError';
  constructor(options: SynapErrorOptions) {
    super('context_not_found', options);
  }
}

export class ConflictError extends SynapPermanentError {
  override name = 'ConflictError';
  constructor(options: SynapErrorOptions) {
    super('conflict', options);
  }
}

export class InsufficientCreditsError extends SynapPermanentError {
  override name = 'InsufficientCreditsError';
  constructor(options: SynapErrorOptions) {
    super('insufficient_credits', options);
  }
}

export class SessionExpiredError extends SynapPermanentError {
  override name = 'SessionExpiredError';
  constructor(options: SynapErrorOptions) {
    super('session_expired', options);
  }
}

export class ListeningAlreadyActiveError extends SynapPermanentError {
  override name = 'ListeningAlreadyActiveError';
  constructor(
    options: SynapErrorOptions = {
      message: 'listen() was already called; call stopListening() first',
    },
  ) {
    super('listening_already_active', options);
  }
}

export class ListeningNotActiveError extends SynapPermanentError {
  override name = 'ListeningNotActiveError';
  constructor(
    options: SynapErrorOptions = {
      message: 'not listening: call instance.listen() before sendMessage()',
    },
  ) {
    super('listening_not_active', options);
  }
}

/** The client was closed; no further work is accepted. */
export class ClientClosedError extends SynapPermanentError {
  override name = 'ClientClosedError';
  constructor(options: SynapErrorOptions = { message: 'the client is closed' }) {
    super('client_closed', options);
  }
}
