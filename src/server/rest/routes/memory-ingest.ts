import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import type { NewMessage } from '../../../store/records.js';
import { ServerError } from '../../server-error.js';
import { parseInput } from '../validate.js';
import {
  content,
  optionalExternalConversationId,
  optionalId,
  role,
  toConversationUuid,
} from '../wire-schemas.js';
import { resolveCustomer } from './identity.js';
import type { RouteDependencies } from './index.js';

const MAX_MESSAGES = 5000;

// Extra keys on a message are accepted and ignored.
export const memoryIngest = z.object({
  messages: z.array(z.object({ role, content })).min(1).max(MAX_MESSAGES),
  user_id: optionalId,
  customer_id: optionalId,
  conversation_id: optionalExternalConversationId,
  source: z.string().max(64).nullish(),
});

/** Namespace of the conversation ids derived for turn writes that name none. */
const DERIVED_CONVERSATION_NAMESPACE = '2f7b9c4e-8d1a-5e3f-b6c2-4a9e0d7f1b35';

/**
 * POST /v1/memories/ingest: the turn writes of Synap's TypeScript adapter. Each write
 * carries the whole transcript so far (the prompt's user and assistant text, then the
 * new answer), so the turns are recorded in order and each one once: a turn already
 * stored by an earlier write is answered as a duplicate.
 */
export function registerMemoryIngestRoutes(app: FastifyInstance, deps: RouteDependencies): void {
  app.post('/v1/memories/ingest', async (request) => {
    const body = parseInput(memoryIngest, request.body);
    const { clientId } = request.auth;
    const external = body.conversation_id ?? null;
    const conversationId = external
      ? toConversationUuid(clientId, external)
      : derivedConversationId(clientId, body);
    let userId = body.user_id ?? null;
    let customerId = body.customer_id ?? null;
    if (!userId) {
      const known = await deps.store.getConversation(clientId, conversationId);
      if (!known)
        throw ServerError.invalid(
          'user_id',
          'is required for a conversation the server has not seen',
        );
      userId = known.userId;
      customerId ??= known.customerId;
    }
    const customer = resolveCustomer(request.auth, userId, customerId);
    const source = body.source ?? 'memories_ingest';
    const seen = new Map<string, number>();
    const rows: NewMessage[] = body.messages.map((message) => {
      const occurrence = seen.get(`${message.role}\u0000${message.content}`) ?? 0;
      seen.set(`${message.role}\u0000${message.content}`, occurrence + 1);
      return {
        conversationId,
        userId,
        customerId: customer,
        sessionId: conversationId,
        role: message.role,
        content: message.content,
        metadata: { source },
        idempotencyKey: turnKey(conversationId, message.role, message.content, occurrence),
      };
    });
    const outcomes = await deps.store.recordMessages(clientId, rows, deps.recordOptions);
    const refused = outcomes.find((outcome) => !outcome.ok);
    if (refused && !refused.ok) {
      throw new ServerError({
        code: refused.code === 'conflict' ? 'conflict' : 'invalid_input',
        detail: refused.detail,
        ...(refused.field ? { field: refused.field } : {}),
      });
    }
    const stored = outcomes.flatMap((outcome) => (outcome.ok ? [outcome] : []));
    const fresh = stored.filter((outcome) => !outcome.duplicate).map((outcome) => outcome.message);
    if (fresh.length > 0) deps.onMessagesRecorded?.(clientId, fresh);
    return {
      conversation_id: conversationId,
      ...(external ? { external_conversation_id: external } : {}),
      user_id: userId,
      ...(customer ? { customer_id: customer } : {}),
      messages_received: rows.length,
      messages_stored: fresh.length,
      duplicates: rows.length - fresh.length,
      messages: stored.map((outcome, index) => ({
        index,
        message_id: outcome.message.id,
        role: outcome.message.role,
        recorded_at: outcome.message.recordedAt.toISOString(),
        duplicate: outcome.duplicate,
      })),
    };
  });
}

/**
 * A turn's identity within its conversation: its role and text, and how many times the
 * same role said the same text before it in the transcript. A resent transcript maps
 * to the stored turns even when the application trimmed its oldest turns.
 */
function turnKey(conversationId: string, role: string, text: string, occurrence: number): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([conversationId, role, text, occurrence]))
    .digest('base64url');
  return `turn:${digest}`;
}

/**
 * A write without a conversation id (the adapter sends `""` when the application gave
 * none): every write of one chat resends the chat from its first turn, so the user,
 * the customer and that first turn name the chat, and each write of it lands in one
 * conversation. Two chats of a user that open with the same words become one.
 */
function derivedConversationId(clientId: string, body: z.output<typeof memoryIngest>): string {
  if (!body.user_id) {
    throw ServerError.invalid('user_id', 'is required when conversation_id is empty');
  }
  const first = body.messages[0];
  return uuidv5(
    JSON.stringify([
      clientId,
      body.customer_id ?? '',
      body.user_id,
      first?.role ?? '',
      first?.content ?? '',
    ]),
    DERIVED_CONVERSATION_NAMESPACE,
  );
}
