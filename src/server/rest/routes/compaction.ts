import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { estimateTokens, formatCompaction } from '../../../engine/index.js';
import { toKeyExtractions } from '../../../protocol/key-extractions.js';
import type { CompactionRecord } from '../../../store/records.js';
import { ServerError } from '../../server-error.js';
import { parseInput } from '../validate.js';
import { conversationId } from '../wire-schemas.js';
import type { RouteDependencies } from './index.js';

/** The strategies the Synap clients know; anything else in `strategy_used` crashes them. */
export const COMPACTION_STRATEGIES = [
  'adaptive',
  'low',
  'medium',
  'high',
  'aggressive',
  'balanced',
  'conservative',
] as const;

export const compactBody = z.object({
  conversation_id: conversationId,
  strategy: z.enum(COMPACTION_STRATEGIES).nullish(),
  target_tokens: z.number().int().min(50).max(100_000).nullish(),
  force: z.boolean().nullish(),
});
export const conversationParams = z.object({ id: conversationId });
const RECENT_FOR_PROMPT = 10;
const COMPACTED_TTL_SECONDS = 60;

/** Compaction: start one, read the result and its status, and the prompt-ready context. */
export function registerCompactionRoutes(app: FastifyInstance, deps: RouteDependencies): void {
  app.post('/v1/conversations/compact', async (request) => {
    const body = parseInput(compactBody, request.body);
    const { clientId } = request.auth;
    const conversation = await deps.store.getConversation(clientId, body.conversation_id);
    if (!conversation) throw ServerError.notFound(`conversation ${body.conversation_id}`);
    const latest = await deps.store.latestCompaction(clientId, body.conversation_id, {
      status: 'completed',
    });
    const newest = (
      await deps.store.listMessages(clientId, body.conversation_id, { newestFirst: true, limit: 1 })
    )[0];
    if (!body.force && latest && newest && newest.seq <= latest.throughSeq) {
      // Nothing new since the last compaction: answer it instead of redoing it.
      return { ...compactionStatus(latest), message: 'no new messages since the last compaction' };
    }
    const started = await queueCompaction(deps, clientId, body.conversation_id, {
      strategy: body.strategy ?? 'adaptive',
      targetTokens: body.target_tokens ?? null,
    });
    if (!started) {
      throw new ServerError({
        code: 'compaction_in_progress',
        field: 'conversation_id',
        detail: `a compaction of conversation ${body.conversation_id} is already running`,
      });
    }
    return compactionStatus(started);
  });

  app.get('/v1/conversations/:id/compacted', async (request) => {
    const { id } = parseInput(conversationParams, request.params);
    const compaction = await deps.store.latestCompaction(request.auth.clientId, id, {
      status: 'completed',
    });
    if (!compaction) throw ServerError.notFound(`compaction for conversation ${id}`);
    return {
      conversation_id: id,
      compaction_id: compaction.id,
      formatted_context: formatCompaction(compaction),
      summary: compaction.summary,
      original_token_count: compaction.originalTokenCount,
      compacted_token_count: compaction.compactedTokenCount,
      compression_ratio: ratio(compaction),
      strategy_used: strategyUsed(compaction.strategy),
      // Lists of objects, not strings: the Synap clients parse each entry as an object.
      ...toKeyExtractions(compaction),
      ttl_seconds: COMPACTED_TTL_SECONDS,
      current_state: compaction.currentState,
      compacted_message_count: compaction.compactedMessageCount,
      created_at: (compaction.completedAt ?? compaction.createdAt).toISOString(),
    };
  });

  app.get('/v1/conversations/:id/compaction/status', async (request) => {
    const { id } = parseInput(conversationParams, request.params);
    const compaction = await deps.store.latestCompaction(request.auth.clientId, id);
    if (!compaction) {
      const conversation = await deps.store.getConversation(request.auth.clientId, id);
      if (!conversation) throw ServerError.notFound(`conversation ${id}`);
      return { conversation_id: id, status: 'none', has_compaction: false };
    }
    return compactionStatus(compaction);
  });

  app.get('/v1/conversations/:id/context-for-prompt', async (request) => {
    const { id } = parseInput(conversationParams, request.params);
    const { clientId } = request.auth;
    const conversation = await deps.store.getConversation(clientId, id);
    if (!conversation) throw ServerError.notFound(`conversation ${id}`);
    const compaction = await deps.store.latestCompaction(clientId, id, { status: 'completed' });
    const afterCompaction = await deps.store.listMessages(clientId, id, {
      afterSeq: compaction?.throughSeq ?? 0,
      limit: 10_000,
    });
    const recent = afterCompaction.slice(-RECENT_FOR_PROMPT);
    return {
      conversation_id: id,
      formatted_context: compaction ? formatCompaction(compaction) : '',
      available: compaction !== null,
      // Stale: turns arrived after the compaction, beyond what recent_messages carries.
      is_stale: compaction !== null && afterCompaction.length > RECENT_FOR_PROMPT,
      ...(compaction ? { compaction_id: compaction.id } : {}),
      quality_warning: false,
      ...(compaction?.completedAt
        ? {
            compaction_age_seconds: Math.floor(
              (deps.store.clock.now().getTime() - compaction.completedAt.getTime()) / 1000,
            ),
            compression_ratio: ratio(compaction),
          }
        : {}),
      recent_messages: recent.map((message) => ({
        role: message.role,
        content: message.content,
        timestamp: message.recordedAt.toISOString(),
        message_id: message.id,
      })),
      recent_message_count: recent.length,
      compacted_message_count: compaction?.compactedMessageCount ?? 0,
      total_message_count: conversation.messageCount,
      estimated_tokens: estimateTokens(
        (compaction ? formatCompaction(compaction) : '') +
          recent.map((message) => message.content).join('\n'),
      ),
    };
  });
}

/** Records a queued compaction and hands it to the background runner; null when one is already under way. */
export async function queueCompaction(
  deps: RouteDependencies,
  clientId: string,
  conversationId: string,
  options: { strategy: string; targetTokens: number | null },
): Promise<CompactionRecord | null> {
  const started = await deps.store.startCompaction(clientId, {
    id: randomUUID(),
    conversationId,
    ...options,
  });
  if (started) await deps.enqueueCompaction(clientId, started.id);
  return started;
}

function compactionStatus(compaction: CompactionRecord) {
  return {
    compaction_id: compaction.id,
    conversation_id: compaction.conversationId,
    status: compaction.status,
    has_compaction: compaction.status === 'completed',
    strategy: compaction.strategy,
    created_at: compaction.createdAt.toISOString(),
    ...(compaction.completedAt ? { completed_at: compaction.completedAt.toISOString() } : {}),
    ...(compaction.status === 'completed'
      ? {
          original_token_count: compaction.originalTokenCount,
          compacted_token_count: compaction.compactedTokenCount,
          compression_ratio: ratio(compaction),
        }
      : {}),
    ...(compaction.status === 'queued' || compaction.status === 'running'
      ? { estimated_completion_seconds: 5, initiated_at: compaction.createdAt.toISOString() }
      : {}),
    ...(compaction.status === 'completed'
      ? { latest_created_at: (compaction.completedAt ?? compaction.createdAt).toISOString() }
      : {}),
    ...(compaction.error ? { error_message: compaction.error } : {}),
  };
}

function strategyUsed(strategy: string): string {
  return (COMPACTION_STRATEGIES as readonly string[]).includes(strategy) ? strategy : 'adaptive';
}

function ratio(compaction: CompactionRecord): number {
  if (compaction.originalTokenCount === 0) return 1;
  return Math.round((compaction.compactedTokenCount / compaction.originalTokenCount) * 1000) / 1000;
}
