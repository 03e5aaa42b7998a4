import { status } from '@grpc/grpc-js';
import { ServerError, type ServerErrorCode } from '../server-error.js';

/**
 * The one map from our error codes to gRPC status codes (REST statuses live on
 * ServerError itself). A Record, so a new code cannot be added without a status.
 */
const GRPC_STATUS: Record<ServerErrorCode, status> = {
  invalid_input: status.INVALID_ARGUMENT,
  authentication_failed: status.UNAUTHENTICATED,
  insufficient_credits: status.FAILED_PRECONDITION,
  not_found: status.NOT_FOUND,
  conflict: status.ALREADY_EXISTS,
  transcript_conflict: status.ALREADY_EXISTS,
  compaction_in_progress: status.FAILED_PRECONDITION,
  rate_limited: status.RESOURCE_EXHAUSTED,
  payload_too_large: status.RESOURCE_EXHAUSTED,
  unavailable: status.UNAVAILABLE,
};

export function grpcStatusOf(code: ServerErrorCode): status {
  return GRPC_STATUS[code];
}

/** The status a call ends with for an error; anything but a ServerError is INTERNAL, detail hidden. */
export function toGrpcStatus(error: unknown): { code: status; details: string } {
  if (error instanceof ServerError)
    return { code: GRPC_STATUS[error.code], details: error.message };
  return { code: status.INTERNAL, details: 'internal error' };
}
