import type { ConversationIdentity } from './conversation-identity.js';
import type { TrackerFailureKind } from './owned-calls.js';

/** A per-call identity override. */
export interface IdentityOverride {
  identity?: Partial<ConversationIdentity>;
}

export interface ToolCallInput extends IdentityOverride {
  toolCallId: string;
  toolName: string;
  /** The arguments as the model gave them: an object, or its JSON text. */
  args: unknown;
}

export interface ToolResultInput extends IdentityOverride {
  toolCallId: string;
  toolName: string;
  result?: unknown;
  /** Set when the tool failed; then `result` is ignored. */
  error?: unknown;
}

/** Counters since the tracker was made. */
export interface TrackerStats {
  /** Messages the service accepted (a retried idempotency key counts again). */
  recorded: number;
  /** Messages skipped because this tracker had already sent them. */
  deduped: number;
  eventsSent: number;
  /** Events not sent because the client was not listening. */
  eventsSkipped: number;
  failures: Record<TrackerFailureKind, number>;
  /** Network calls still in flight. */
  pending: number;
}
