/**
 * The conversation tracker shared by every adapter: turn dedupe, identity, tool-call
 * bookkeeping, and the context block for prompts.
 */

export {
  type AdapterTrackerOptions,
  adapterArguments,
  contextOptionsFor,
  DEFAULT_CONTEXT_TOKENS,
  type InjectionOptions,
  trackerFor,
} from './adapter-options.js';
export type { CallContext } from './call-context.js';
export {
  CHARS_PER_TOKEN,
  CONTEXT_CLOSE_TAG,
  CONTEXT_OPEN_TAG,
  escapeMemoryText,
  type FormatContextOptions,
  formatContext,
  injectContext,
  stripContext,
} from './context-block.js';
export {
  type ConversationIdentity,
  type ResolvedIdentity,
  resolveIdentity,
} from './conversation-identity.js';
export {
  type ContextCallOptions,
  ConversationTracker,
  type ConversationTrackerOptions,
} from './conversation-tracker.js';
export { DEFAULT_AWAIT_CONTEXT_MS } from './defaults.js';
export { messageText, type TrackedMessage } from './message-fingerprint.js';
export type { TrackerFailureKind } from './owned-calls.js';
export {
  IDENTITY_KEY,
  identityFromRun,
  identityOverride,
  type RunIdentitySources,
} from './run-identity.js';
export type { DegradedReason, ServiceStatus } from './service-health.js';
export type {
  IdentityOverride,
  ToolCallInput,
  ToolResultInput,
  TrackerStats,
} from './tracker-inputs.js';
