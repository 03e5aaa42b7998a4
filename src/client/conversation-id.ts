import { validate as isUuid, v5 as uuidv5 } from 'uuid';
import { InvalidInputError } from './errors.js';

/**
 * Namespace of the UUID v5 ids that `conversationIdFrom` derives. Fixed for good:
 * changing it would give every existing thread a new conversation. It is not the
 * server's namespace for ingest ids, which also mixes in the tenant.
 */
export const CONVERSATION_ID_NAMESPACE = 'a3b6f1d2-5c4e-4f7a-9b8d-2e1c0f9a7b65';

/**
 * A conversation id (a UUID, as the protocol requires) for a framework's own thread
 * id: a LangGraph `thread_id`, an AI SDK chat id, a session key. The same thread id
 * always gives the same UUID (v5 in `CONVERSATION_ID_NAMESPACE`); a thread id that
 * already is a UUID is returned as is, in canonical lower case.
 *
 * @example
 * conversationIdFrom('thread-42'); // the same UUID on every call and every machine
 */
export function conversationIdFrom(threadId: string): string {
  if (typeof threadId !== 'string' || threadId === '')
    throw new InvalidInputError({
      message: 'threadId: must be a non-empty string',
      field: 'threadId',
    });
  return isUuid(threadId) ? threadId.toLowerCase() : uuidv5(threadId, CONVERSATION_ID_NAMESPACE);
}
