import type { ContextCallCounts } from './context-calls.js';
import type { ConversationIdentity } from './conversation-identity.js';
import type { TrackerFailureKind } from './owned-calls.js';
import type { DegradedReason, ServiceStatus } from './service-health.js';

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

/** Counters since the tracker was made, and the service's status now. */
export interface TrackerStats extends ContextCallCounts {
  /**
   * `degraded` while the client's event stream is reconnecting (or gave up), or while the
   * latest recording, the latest event or the latest context wait failed; `ok` once each
   * has succeeded since. Model calls go on either way: degraded means without fresh
   * context. The tracker logs each change once (`ServiceHealth`).
   */
  status: ServiceStatus;
  /** Why it is degraded (the first that applies, in the order of `DegradedReason`). */
  degradedReason?: DegradedReason;
  /**
   * Turns handed to the client's outbox, which delivers them (batched, retried, each
   * once); `client.outbox.stats()` says what was delivered.
   */
  recorded: number;
  /**
   * Turns the client's outbox still holds, this tracker's and others' alike: during an
   * outage they wait there and are retried, not lost.
   */
  undelivered: number;
  /** Messages skipped because this tracker had already sent them. */
  deduped: number;
  eventsSent: number;
  /** Events not sent because the client was not listening. */
  eventsSkipped: number;
  failures: Record<TrackerFailureKind, number>;
  /** Network calls still in flight. */
  pending: number;
}
