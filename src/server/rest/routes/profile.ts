import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MEMORY_TYPES, type MemoryRecord } from '../../../store/records.js';
import { ServerError } from '../../server-error.js';
import { memoryJson } from '../memory-json.js';
import { parseInput } from '../validate.js';
import { id, optionalId } from '../wire-schemas.js';
import { resolveCustomer } from './identity.js';
import type { RouteDependencies } from './index.js';

export const profileParams = z.object({ user_id: id });
export const profileQuery = z.object({ customer_id: optionalId });
const PROFILE_LIMIT = 200;

/**
 * GET /v1/users/{user_id}/profile: what the server currently knows about one user,
 * wrapped as `{profile: {...}}` (the Synap clients ignore a flat document). Facts and
 * preferences become attributes keyed by their subject; the rest is under `extras`.
 */
export function registerProfileRoutes(app: FastifyInstance, deps: RouteDependencies): void {
  app.get('/v1/users/:user_id/profile', async (request) => {
    const { user_id: userId } = parseInput(profileParams, request.params);
    const { customer_id } = parseInput(profileQuery, request.query);
    const customerId = resolveCustomer(request.auth, userId, customer_id);
    const memories = await deps.store.listMemories(request.auth.clientId, {
      userId,
      customerId,
      limit: PROFILE_LIMIT,
    });
    const current = memories.filter((memory) => memory.scope === 'user' && !memory.supersededBy);
    if (
      current.length === 0 &&
      !(await hasAnyConversation(deps, request.auth.clientId, userId, customerId))
    ) {
      throw ServerError.notFound(`profile of user ${userId}`);
    }
    const attributes: Record<string, unknown> = {};
    for (const memory of current) {
      if (memory.memoryType !== 'facts' && memory.memoryType !== 'preferences') continue;
      const name = memory.subjectKey || memory.id;
      // Newest first, so the first memory of a subject is the current one.
      attributes[name] ??= attribute(memory);
    }
    const overview = current
      .filter((memory) => memory.memoryType === 'facts' || memory.memoryType === 'preferences')
      .slice(0, 10)
      .map((memory) => memory.content)
      .join(' ');
    return {
      profile: {
        user_id: userId,
        ...(customerId ? { customer_id: customerId } : {}),
        overview,
        attributes,
        extras: Object.fromEntries(
          MEMORY_TYPES.map((type) => [
            type,
            current.filter((memory) => memory.memoryType === type).map(memoryJson),
          ]),
        ),
        _meta: {
          memory_count: current.length,
          updated_at: (current[0]?.createdAt ?? deps.store.clock.now()).toISOString(),
        },
      },
    };
  });
}

function attribute(memory: MemoryRecord) {
  return {
    value: memory.content,
    confidence: Math.min(1, Math.max(0, memory.confidence)),
    updated_at: memory.createdAt.toISOString(),
    ...(memory.conversationId ? { source_conversation_id: memory.conversationId } : {}),
  };
}

async function hasAnyConversation(
  deps: RouteDependencies,
  clientId: string,
  userId: string,
  customerId: string,
): Promise<boolean> {
  const hits = await deps.store.searchMessages(clientId, {
    userId,
    customerId,
    conversationId: null,
    query: '',
    limit: 1,
  });
  return hits.length > 0;
}
