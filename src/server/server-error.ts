/**
 * The one error type the server raises on purpose. REST answers it as
 * `{detail, code, field}` with its status; gRPC maps the same codes onto status codes
 * (src/server/grpc/status.ts) and StreamSignal errors. Anything else that escapes is
 * a bug, answered 500 with a generic detail (never the message of an internal error).
 */
export type ServerErrorCode =
  | 'invalid_input'
  | 'authentication_failed'
  | 'insufficient_credits'
  | 'not_found'
  | 'conflict'
  | 'transcript_conflict'
  | 'compaction_in_progress'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unavailable';

const STATUS: Record<ServerErrorCode, number> = {
  invalid_input: 422,
  authentication_failed: 401,
  insufficient_credits: 402,
  not_found: 404,
  conflict: 409,
  transcript_conflict: 409,
  compaction_in_progress: 409,
  rate_limited: 429,
  payload_too_large: 413,
  unavailable: 503,
};

export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly code: ServerErrorCode;
  readonly status: number;
  /** The request field at fault (dotted path, e.g. `messages.2.content`), when one is. */
  readonly field: string | undefined;
  /** For 429: whole seconds to wait. */
  readonly retryAfterSeconds: number | undefined;

  constructor(options: {
    code: ServerErrorCode;
    detail: string;
    field?: string;
    retryAfterSeconds?: number;
    status?: number;
    cause?: unknown;
  }) {
    super(options.detail, { cause: options.cause });
    this.code = options.code;
    this.status = options.status ?? STATUS[options.code];
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  static invalid(field: string, rule: string): ServerError {
    return new ServerError({ code: 'invalid_input', field, detail: `${field}: ${rule}` });
  }

  static notFound(what: string): ServerError {
    return new ServerError({ code: 'not_found', detail: `${what} not found` });
  }
}
