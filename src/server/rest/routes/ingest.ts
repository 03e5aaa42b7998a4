import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CompactionRecord } from '../../../store/records.js';
import { ServerError } from '../../server-error.js';
import { parseInput } from '../validate.js';
import {
  content,
  id,
  isoDateTime,
  metadata,
  optionalId,
  role,
  toConversationUuid,
} from '../wire-schemas.js';
import { queueCompaction } from './compaction.js';
import { resolveCustomer } from './identity.js';
import type { RouteDependencies } from './index.js';

const MAX_TURNS = 5000;

// Extra keys on a turn (speaker, metadata) are accepted and ignored.
const turn = z.object({ role, content, timestamp: isoDateTime.nullish() });

export const ingest = z.object({
  // Any caller id, not only a UUID: see toConversationUuid.
  conversation_id: z.string().min(1).max(256),
  user_id: id,
  customer_id: optionalId,
  session_id: optionalId,
  transcript: z.union([
    z
      .string()
      .min(1)
      .max(4 * 1024 * 1024),
    z.array(turn).min(1).max(MAX_TURNS),
  ]),
  conversation_type: z.string().max(64).nullish(),
  started_at: isoDateTime.nullish(),
  ended_at: isoDateTime.nullish(),
  analysis: metadata,
  metadata,
});

/** POST /v1/conversations/ingest: a whole transcript at once; same id + other transcript = 409. */
export function registerIngestRoutes(app: FastifyInstance, deps: RouteDependencies): void {
  app.post('/v1/conversations/ingest', async (request) => {
    const body = parseInput(ingest, request.body);
    const customerId = resolveCustomer(request.auth, body.user_id, body.customer_id);
    const turns =
      typeof body.transcript === 'string' ? parseTranscript(body.transcript) : body.transcript;
    const normalized = turns.map((t) => ({
      role: t.role,
      content: t.content,
      timestamp: t.timestamp ? new Date(t.timestamp) : null,
    }));
    const transcriptHash = createHash('sha256')
      .update(JSON.stringify(normalized.map((t) => [t.role, t.content])))
      .digest('hex');
    const conversationId = toConversationUuid(request.auth.clientId, body.conversation_id);
    const outcome = await deps.store.ingestTranscript(request.auth.clientId, {
      conversationId,
      userId: body.user_id,
      customerId,
      sessionId: body.session_id ?? conversationId,
      turns: normalized,
      transcriptHash,
      metadata: {
        ...(body.metadata ?? {}),
        ...(body.conversation_type ? { conversation_type: body.conversation_type } : {}),
        ...(body.started_at ? { started_at: body.started_at } : {}),
        ...(body.ended_at ? { ended_at: body.ended_at } : {}),
        ...(conversationId !== body.conversation_id
          ? { external_conversation_id: body.conversation_id }
          : {}),
      },
    });
    if (outcome.status === 'conflict') {
      throw new ServerError({
        code: 'transcript_conflict',
        field: 'transcript',
        detail: `conversation ${body.conversation_id} was already ingested with another transcript`,
      });
    }
    // A fresh transcript is compacted in the background right away.
    const summaryStatus =
      outcome.status === 'queued'
        ? (await queueCompaction(deps, request.auth.clientId, conversationId, {
            strategy: 'adaptive',
            targetTokens: null,
          }))
          ? 'in_progress'
          : 'skipped'
        : (await deps.store.latestCompaction(request.auth.clientId, conversationId, {
              status: 'completed',
            }))
          ? 'already_compacted'
          : 'skipped';
    if (outcome.status === 'queued')
      deps.onConversationIngested?.(request.auth.clientId, conversationId);
    return {
      conversation_id: conversationId,
      external_conversation_id: body.conversation_id,
      ingestion_id: outcome.ingestionId,
      status: outcome.status,
      summary_status: summaryStatus,
      turns_recorded: outcome.turnsRecorded,
      queued_at: deps.store.clock.now().toISOString(),
    };
  });
}

export const statusParams = z.object({ id: z.uuid() });

/**
 * GET /api/v1/memories/status/{id}: what the Python client polls with an ingestion id
 * (`memories.status`, `wait_for_completion`, which stops at completed, failed or
 * partial_success). The turns are stored when ingest answers; what remains is the
 * conversation's compaction, so its state is the ingestion's.
 */
export function registerIngestStatusRoute(app: FastifyInstance, deps: RouteDependencies): void {
  app.get('/api/v1/memories/status/:id', async (request) => {
    const { id: ingestionId } = parseInput(statusParams, request.params);
    const { clientId } = request.auth;
    const ingestion = await deps.store.getIngestion(clientId, ingestionId.toLowerCase());
    if (!ingestion) throw ServerError.notFound(`ingestion ${ingestionId}`);
    const compaction = await deps.store.latestCompaction(clientId, ingestion.conversationId);
    const memories = await deps.store.listConversationMemories(
      clientId,
      ingestion.conversationId,
      200,
    );
    const answer: Record<string, unknown> = {
      ingestion_id: ingestion.ingestionId,
      document_id: ingestion.conversationId,
      status: ingestionStatus(compaction?.status),
      queued_at: ingestion.createdAt.toISOString(),
      started_at: ingestion.createdAt.toISOString(),
      memories_created: memories.length,
      memory_ids: memories.map((memory) => memory.id),
    };
    if (compaction?.completedAt) answer.completed_at = compaction.completedAt.toISOString();
    if (compaction?.status === 'failed' && compaction.error)
      answer.error_message = compaction.error;
    return answer;
  });
}

/** The client's enum: queued, processing, completed, failed, partial_success. */
function ingestionStatus(compaction: CompactionRecord['status'] | undefined): string {
  switch (compaction) {
    case 'queued':
    case 'running':
      return 'processing';
    // The turns are stored; only the summary is missing.
    case 'failed':
      return 'partial_success';
    default:
      return 'completed';
  }
}

/**
 * A plain-text transcript: one turn per line as `role: content` (`user:`, `assistant:`,
 * also `human:`/`ai:`); lines without a prefix continue the previous turn. The turn
 * limit is the list form's: a transcript is refused at its 5001st turn, before the rest
 * is read.
 */
export function parseTranscript(
  text: string,
): { role: 'user' | 'assistant'; content: string; timestamp: null }[] {
  const turns: { role: 'user' | 'assistant'; content: string; timestamp: null }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(user|human|assistant|ai)\s*:\s?(.*)$/i.exec(line);
    if (match?.[1]) {
      if (turns.length === MAX_TURNS) {
        throw ServerError.invalid('transcript', `must have at most ${MAX_TURNS} turns`);
      }
      const speaker = match[1].toLowerCase();
      turns.push({
        role: speaker === 'user' || speaker === 'human' ? 'user' : 'assistant',
        content: match[2] ?? '',
        timestamp: null,
      });
    } else if (turns.length > 0 && line.trim()) {
      const last = turns[turns.length - 1];
      if (last) last.content = `${last.content}\n${line}`;
    } else if (line.trim()) {
      throw ServerError.invalid('transcript', 'each turn must start with "user:" or "assistant:"');
    }
  }
  const empty = turns.findIndex((t) => !t.content.trim());
  if (turns.length === 0) throw ServerError.invalid('transcript', 'must contain at least one turn');
  if (empty !== -1) throw ServerError.invalid(`transcript`, `turn ${empty + 1} is empty`);
  return turns;
}
