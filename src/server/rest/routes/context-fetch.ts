import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MEMORY_TYPES, type MemoryType, type ScopeFilter } from '../../../store/records.js';
import type { AuthContext } from '../../api-keys.js';
import { ServerError } from '../../server-error.js';
import { toContextJson } from '../memory-json.js';
import { parseInput } from '../validate.js';
import { conversationId, optionalId } from '../wire-schemas.js';
import { conversationContextJson } from './conversation-context.js';
import { resolveCustomer } from './identity.js';
import type { RouteDependencies } from './index.js';

// Short on purpose: Synap clients cache a fetch answer for ttl_seconds (0 means 300 s),
// and memories change as the conversation goes on.
const DEFAULT_TTL_SECONDS = 30;

export const fetchBody = z.object({
  conversation_id: conversationId.nullish(),
  user_id: optionalId,
  customer_id: optionalId,
  search_query: z.union([z.string().max(2000), z.array(z.string().max(2000)).max(32)]).nullish(),
  max_results: z.number().int().min(1).max(200).nullish(),
  types: z
    .array(z.enum(['all', 'temporal', ...MEMORY_TYPES]))
    .max(8)
    .nullish(),
  mode: z.enum(['fast', 'accurate']).nullish(),
  include_conversation_context: z.boolean().nullish(),
});
type FetchBody = z.output<typeof fetchBody>;

export const FETCH_SCOPES = ['conversation', 'user', 'customer', 'client'] as const;
type FetchScope = (typeof FETCH_SCOPES)[number];

/** POST /v1/context/{conversation,user,customer,client}/fetch: memories for one scope. */
export function registerContextFetchRoutes(app: FastifyInstance, deps: RouteDependencies): void {
  for (const scope of FETCH_SCOPES) {
    app.post(`/v1/context/${scope}/fetch`, async (request) => {
      const body = parseInput(fetchBody, request.body ?? {});
      const filter = await scopeFilter(deps, request.auth, scope, body);
      const types = resolveTypes(body.types);
      const maxResults = body.max_results ?? 20;
      const queries =
        typeof body.search_query === 'string' ? [body.search_query] : (body.search_query ?? []);
      const memories = await deps.store.searchMemories(request.auth.clientId, {
        ...filter,
        query: queries.join(' '),
        types,
        // Fetch more than asked: scope precedence may drop broader duplicates.
        limit: Math.min(maxResults * 2, 400),
      });
      const answer: Record<string, unknown> = {
        context: toContextJson(memories, maxResults),
        ttl_seconds: DEFAULT_TTL_SECONDS,
        scope,
      };
      if (filter.conversationId && body.include_conversation_context !== false) {
        answer.conversation_context = await conversationContextJson(
          deps.store,
          request.auth.clientId,
          filter.conversationId,
        );
      }
      return answer;
    });
  }
}

async function scopeFilter(
  deps: RouteDependencies,
  auth: AuthContext,
  scope: FetchScope,
  body: FetchBody,
): Promise<ScopeFilter> {
  switch (scope) {
    case 'conversation': {
      if (!body.conversation_id) throw ServerError.invalid('conversation_id', 'is required');
      const conversation = await deps.store.getConversation(auth.clientId, body.conversation_id);
      if (!conversation) throw ServerError.notFound(`conversation ${body.conversation_id}`);
      return {
        userId: conversation.userId,
        customerId: conversation.customerId,
        conversationId: conversation.id,
      };
    }
    case 'user': {
      if (!body.user_id) throw ServerError.invalid('user_id', 'is required');
      return {
        userId: body.user_id,
        customerId: resolveCustomer(auth, body.user_id, body.customer_id),
        conversationId: null,
      };
    }
    case 'customer': {
      if (!body.customer_id) throw ServerError.invalid('customer_id', 'is required');
      return { userId: '', customerId: body.customer_id, conversationId: null };
    }
    case 'client':
      return { userId: '', customerId: '', conversationId: null };
  }
}

function resolveTypes(types: FetchBody['types']): MemoryType[] {
  if (!types || types.length === 0 || types.includes('all')) return [...MEMORY_TYPES];
  // `temporal` is how some Synap clients spell temporal_events.
  const mapped = types.map((type) => (type === 'temporal' ? 'temporal_events' : type));
  return [...new Set(mapped.filter((type): type is MemoryType => type !== 'all'))];
}
