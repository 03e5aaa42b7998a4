import {
  AuthenticationError,
  ConflictError,
  ContextNotFoundError,
  InsufficientCreditsError,
  InvalidInputError,
  NetworkTimeoutError,
  RateLimitError,
  ServiceUnavailableError,
  SynapError,
  SynapTransientError,
} from './errors.js';
import { fieldFromWire } from './wire-mapping.js';

/**
 * The one place where HTTP statuses and gRPC status codes become Synap errors.
 * `detail` is the server's message (a string, or an object with `message`).
 */
export function errorFromHttp(
  status: number,
  body: unknown,
  retryAfterHeader: string | null,
): SynapError {
  const { message, field } = describeBody(body, `HTTP ${status}`);
  const options = { message, status, ...(field ? { field } : {}) };
  if (status === 400 || status === 413 || status === 415 || status === 422)
    return new InvalidInputError(options);
  if (status === 401) return new AuthenticationError(options);
  if (status === 402) return new InsufficientCreditsError(options);
  if (status === 404) return new ContextNotFoundError(options);
  if (status === 409) return new ConflictError(options);
  if (status === 429) {
    const seconds = retryAfterHeader === null ? Number.NaN : Number(retryAfterHeader);
    return new RateLimitError({
      ...options,
      ...(Number.isFinite(seconds) ? { retryAfterMs: seconds * 1000 } : {}),
    });
  }
  if (status === 408 || status === 504) return new NetworkTimeoutError(options);
  if (status >= 500) return new ServiceUnavailableError(options);
  return new SynapTransientError('service_unavailable', options);
}

// gRPC status codes by number: importing grpc-js here would load it for HTTP-only users.
const GrpcStatus = {
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  INVALID_ARGUMENT: 3,
  UNAUTHENTICATED: 16,
} as const;

/** A gRPC status (from a call's `status` event or a ServiceError) as a Synap error. */
export function errorFromGrpc(code: number, details: string): SynapError {
  const options = { message: details || `gRPC status ${code}`, status: code };
  switch (code) {
    case GrpcStatus.INVALID_ARGUMENT:
    case GrpcStatus.OUT_OF_RANGE:
      return new InvalidInputError(options);
    case GrpcStatus.UNAUTHENTICATED:
    case GrpcStatus.PERMISSION_DENIED:
      return new AuthenticationError(options);
    case GrpcStatus.NOT_FOUND:
      return new ContextNotFoundError(options);
    case GrpcStatus.ALREADY_EXISTS:
    case GrpcStatus.ABORTED:
      return new ConflictError(options);
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return new RateLimitError(options);
    case GrpcStatus.DEADLINE_EXCEEDED:
      return new NetworkTimeoutError(options);
    default:
      return new ServiceUnavailableError(options);
  }
}

/** A fetch failure (refused, reset, aborted by our timeout) as a Synap error. */
export function errorFromNetwork(error: unknown, timedOut: boolean): SynapError {
  if (SynapError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (timedOut)
    return new NetworkTimeoutError({ message: `request timed out: ${message}`, cause: error });
  return new ServiceUnavailableError({ message: `service unreachable: ${message}`, cause: error });
}

function describeBody(body: unknown, fallback: string): { message: string; field?: string } {
  if (typeof body !== 'object' || body === null)
    return { message: typeof body === 'string' && body ? body : fallback };
  const record = body as Record<string, unknown>;
  const detail = record.detail;
  // The server names snake_case wire fields; the client's errors name camelCase ones.
  const field = typeof record.field === 'string' ? fieldFromWire(record.field) : undefined;
  if (typeof detail === 'string') return { message: detail, ...(field ? { field } : {}) };
  if (
    typeof detail === 'object' &&
    detail !== null &&
    typeof (detail as Record<string, unknown>).message === 'string'
  ) {
    return { message: (detail as { message: string }).message, ...(field ? { field } : {}) };
  }
  return { message: fallback, ...(field ? { field } : {}) };
}
