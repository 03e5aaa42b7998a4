import type { ConversationIdentity } from './conversation-identity.js';

/** The key, in a run's `metadata`, `configurable` or agent `context`, that carries an identity. */
export const IDENTITY_KEY = 'foresight';

const IDENTITY_FIELDS = [
  'conversationId',
  'threadId',
  'userId',
  'customerId',
  'sessionId',
] as const;

/** Where a LangChain run tells whose conversation it is. Each source may be anything. */
export interface RunIdentitySources {
  /** A callback's `metadata`: LangChain copies `configurable`'s primitive values into it. */
  metadata?: unknown;
  /** A graph's `configurable` (`thread_id`, `user_id`). */
  configurable?: unknown;
  /** A `createAgent` run's `context`. */
  context?: unknown;
}

/**
 * The identity a run gives, read in this order (later wins): LangGraph's conventions
 * `thread_id` and `user_id` (in `configurable`, or in `metadata` where LangChain copies
 * them), then a `foresight: { threadId, userId, ... }` object in `metadata`,
 * `configurable` or `context`. String fields only; answers `undefined` when none is given.
 *
 * @example
 * agent.invoke(input, { configurable: { thread_id: 'chat-42', user_id: 'alice' } });
 */
export function identityFromRun(
  sources: RunIdentitySources,
): Partial<ConversationIdentity> | undefined {
  const identity: Partial<ConversationIdentity> = {};
  for (const source of [sources.metadata, sources.configurable]) {
    const threadId = stringField(source, 'thread_id');
    const userId = stringField(source, 'user_id');
    if (threadId !== undefined) identity.threadId = threadId;
    if (userId !== undefined) identity.userId = userId;
  }
  for (const source of [sources.metadata, sources.configurable, sources.context]) {
    const given = objectField(source, IDENTITY_KEY);
    if (given === undefined) continue;
    for (const field of IDENTITY_FIELDS) {
      const value = stringField(given, field);
      if (value !== undefined) identity[field] = value;
    }
  }
  return Object.keys(identity).length === 0 ? undefined : identity;
}

/** `{ identity }` for a tracker call, or `{}` so the tracker's own identity applies. */
export function identityOverride(sources: RunIdentitySources): {
  identity?: Partial<ConversationIdentity>;
} {
  const identity = identityFromRun(sources);
  return identity === undefined ? {} : { identity };
}

function objectField(source: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value = (source as Record<string, unknown>)[key];
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)
    : undefined;
}

function stringField(source: unknown, key: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value = (source as Record<string, unknown>)[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
