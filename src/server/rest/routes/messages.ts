import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { MessageRecord, NewMessage, RecordOutcome } from '../../../store/records.js';
import { ATTRIBUTE, SPAN, traced } from '../../../telemetry/index.js';
import type { AuthContext } from '../../api-keys.js';
import { assertNestingDepth } from '../../nesting-depth.js';
import { ServerError } from '../../server-error.js';
import { assertStorableText } from '../../unstorable-text.js';
import { parseInput } from '../validate.js';
import { content, conversationId, id, metadata, optionalId, role } from '../wire-schemas.js';
import { resolveCustomer } from './identity.js';
import type { RouteDependencies } from './index.js';

const MAX_BATCH = 500;

/** One turn: the body of /v1/conversations/messages and each row of /batch. */
export const message = z.object({
  conversation_id: conversationId,
  role,
  content,
  // Optional only for a conversation the server already knows (the owner is reused).
  user_id: optionalId,
  customer_id: optionalId,
  session_id: optionalId,
  metadata,
  client_token: optionalId,
});
type MessageBody = z.output<typeof message>;

// Rows stay unknown here: each is parsed with `message` on its own, so one bad row fails alone.
const batch = z.object({ messages: z.array(z.unknown()).min(1).max(MAX_BATCH) });

/** The batch body as a client sends it (for the API document). */
export const messageBatch = z.object({ messages: z.array(message).min(1).max(MAX_BATCH) });

/** POST /v1/conversations/messages and /batch: record turns, idempotently. */
export function registerMessageRoutes(app: FastifyInstance, deps: RouteDependencies): void {
  app.post('/v1/conversations/messages', async (request) => {
    const body = parseInput(message, request.body);
    const headerKey = header(request.headers['idempotency-key']);
    if (headerKey !== undefined) parseInput(id, headerKey, 'Idempotency-Key');
    const idempotencyKey =
      headerKey ?? body.client_token ?? correlationKey(request.headers, 0, body);
    const input = await toNewMessage(deps, request.auth, body, idempotencyKey, '');
    const [outcome] = await traced(SPAN.record, { [ATTRIBUTE.messages]: 1 }, () =>
      deps.store.recordMessages(request.auth.clientId, [input], deps.recordOptions),
    );
    if (!outcome) throw new Error('store answered no outcome for one message');
    if (!outcome.ok) {
      // The key came in the header: the refusal names the header and the key.
      const byHeader = headerKey !== undefined && outcome.field === 'client_token';
      throw new ServerError({
        code: outcome.code === 'conflict' ? 'conflict' : 'invalid_input',
        detail: byHeader
          ? `Idempotency-Key: ${JSON.stringify(headerKey)} ${outcome.rule ?? 'was already used'}`
          : outcome.detail,
        ...(byHeader
          ? { field: 'Idempotency-Key' }
          : outcome.field
            ? { field: outcome.field }
            : {}),
      });
    }
    // A retry answered from the idempotency key is not new: nothing to extract again.
    if (!outcome.duplicate) deps.onMessagesRecorded?.(request.auth.clientId, [outcome.message]);
    return messageResult(outcome.message);
  });

  app.post('/v1/conversations/messages/batch', async (request) => {
    const { messages } = parseInput(batch, request.body);
    // Each row is validated on its own: one bad row fails alone, never the batch.
    const rows: ({ input: NewMessage } | { error: RecordOutcome & { ok: false } })[] = [];
    for (const [index, raw] of messages.entries()) {
      try {
        // Here, not in the app-wide guard: text the store cannot hold fails its row alone.
        assertNestingDepth(raw, `messages.${index}`);
        assertStorableText(raw, `messages.${index}`);
        const body = parseInput(message, raw, `messages.${index}`);
        rows.push({
          input: await toNewMessage(
            deps,
            request.auth,
            body,
            body.client_token ?? correlationKey(request.headers, index, body),
            `messages.${index}.`,
          ),
        });
      } catch (error) {
        if (!(error instanceof ServerError)) throw error;
        rows.push({
          error: {
            ok: false,
            code: error.code,
            detail: error.message,
            ...(error.field ? { field: error.field } : {}),
          },
        });
      }
    }
    const valid = rows.flatMap((row) => ('input' in row ? [row.input] : []));
    const stored = await traced(SPAN.record, { [ATTRIBUTE.messages]: valid.length }, () =>
      deps.store.recordMessages(request.auth.clientId, valid, deps.recordOptions),
    );
    let next = 0;
    const outcomes = rows.map((row) => ('input' in row ? stored[next++] : row.error));
    const recorded = outcomes.flatMap((outcome) => (outcome?.ok ? [outcome.message] : []));
    const fresh = outcomes.flatMap((outcome) =>
      outcome?.ok && !outcome.duplicate ? [outcome.message] : [],
    );
    if (fresh.length > 0) deps.onMessagesRecorded?.(request.auth.clientId, fresh);
    const results = outcomes.map((outcome, index) =>
      outcome?.ok
        ? { index, status: 'success', ...messageResult(outcome.message) }
        : {
            index,
            status: 'failed',
            error: outcome?.detail ?? 'not recorded',
            code: outcome?.code ?? 'internal',
            ...(outcome?.field ? { field: outcome.field } : {}),
          },
    );
    const succeeded = recorded.length;
    return { total: outcomes.length, succeeded, failed: outcomes.length - succeeded, results };
  });
}

async function toNewMessage(
  deps: RouteDependencies,
  auth: AuthContext,
  body: MessageBody,
  idempotencyKey: string | null,
  fieldPrefix: string,
): Promise<NewMessage> {
  let userId = body.user_id ?? null;
  let customerId = body.customer_id ?? null;
  if (!userId) {
    const known = await deps.store.getConversation(auth.clientId, body.conversation_id);
    if (!known)
      throw ServerError.invalid(
        `${fieldPrefix}user_id`,
        'is required for a conversation the server has not seen',
      );
    userId = known.userId;
    customerId ??= known.customerId;
  }
  return {
    conversationId: body.conversation_id,
    userId,
    customerId: resolveCustomer(auth, userId, customerId, fieldPrefix),
    // Without a session id the conversation is one session: its id doubles as the session's.
    sessionId: body.session_id ?? body.conversation_id,
    role: body.role,
    content: body.content,
    metadata: body.metadata ?? {},
    idempotencyKey,
  };
}

/**
 * Synap's Python client never sends an idempotency key, but repeats a POST whose
 * answer it lost with the same `X-Correlation-ID`. That id plus the row's position
 * and content make a key that catches those retries without merging distinct
 * messages that happen to share a correlation id.
 */
function correlationKey(
  headers: IncomingHttpHeaders,
  index: number,
  body: MessageBody,
): string | null {
  const correlationId = header(headers['x-correlation-id']);
  if (!correlationId) return null;
  const digest = createHash('sha256')
    .update(JSON.stringify([correlationId, index, body.conversation_id, body.role, body.content]))
    .digest('base64url');
  return `corr:${digest}`;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function messageResult(record: MessageRecord) {
  return {
    message_id: record.id,
    conversation_id: record.conversationId,
    session_id: record.sessionId,
    recorded_at: record.recordedAt.toISOString(),
  };
}
