import { conversationIdFrom } from '../client/conversation-id.js';
import { InvalidInputError } from '../client/errors.js';

/**
 * Whose conversation a tracker records. Give `conversationId` (a UUID, or any id that
 * is then derived into one) or a framework's `threadId` (a LangGraph `thread_id`, an AI
 * SDK chat id); `conversationId` wins when both are given.
 */
export interface ConversationIdentity {
  /** A UUID; any other string is turned into one with `conversationIdFrom`. */
  conversationId?: string;
  /** A framework's thread id, turned into a UUID with `conversationIdFrom`. */
  threadId?: string;
  userId: string;
  /** Required by B2B tenants. */
  customerId?: string;
  sessionId?: string;
}

/** An identity ready for the wire: the conversation id is always a UUID. */
export interface ResolvedIdentity {
  conversationId: string;
  userId: string;
  customerId?: string;
  sessionId?: string;
}

/**
 * The identity of one call: each field of `override` replaces the base's; a conversation
 * or thread id in `override` replaces both of the base's. Throws `InvalidInputError`
 * naming the field when no conversation or user can be told.
 */
export function resolveIdentity(
  base: Partial<ConversationIdentity>,
  override: Partial<ConversationIdentity> = {},
): ResolvedIdentity {
  const overridesConversation =
    override.conversationId !== undefined || override.threadId !== undefined;
  const source = overridesConversation ? override : base;
  const raw = source.conversationId ?? source.threadId;
  if (raw === undefined || raw === '') {
    throw new InvalidInputError({
      message: 'identity.conversationId: a conversationId or a threadId is required',
      field: 'identity.conversationId',
    });
  }
  const userId = override.userId ?? base.userId;
  if (typeof userId !== 'string' || userId === '') {
    throw new InvalidInputError({
      message: 'identity.userId: must be a non-empty string',
      field: 'identity.userId',
    });
  }
  const customerId = override.customerId ?? base.customerId;
  const sessionId = override.sessionId ?? base.sessionId;
  return {
    conversationId: conversationIdFrom(raw),
    userId,
    ...(customerId !== undefined ? { customerId } : {}),
    ...(sessionId !== undefined ? { sessionId } : {}),
  };
}

/** True when `override` changes nothing, so the resolved base identity can be reused. */
export function isEmptyOverride(override: Partial<ConversationIdentity> | undefined): boolean {
  if (override === undefined) return true;
  for (const value of Object.values(override)) if (value !== undefined) return false;
  return true;
}
