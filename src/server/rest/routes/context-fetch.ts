import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { estimateTokens, ownsConversation } from '../../../engine/index.js';
import { MEMORY_TYPES, type MemoryType, type ScopeFilter } from '../../../store/records.js';
import type { AuthContext } from '../../api-keys.js';
import { ServerError } from '../../server-error.js';
import { selectForAnswer, toContextJson, toItemsByTypeJson } from '../memory-json.js';
import { parseInput } from '../validate.js';
import { optionalExternalConversationId, optionalId, toConversationUuid } from '../wire-schemas.js';
import { conversationContextJson } from './conversation-context.js';
import { resolveCustomer } from './identity.js';
import type { RouteDependencies } from './index.js';

// Short on purpose: Synap clients cache a fetch answer for ttl_seconds (0 means 300 s),
// and memories change as the conversation goes on.
const DEFAULT_TTL_SECONDS = 30;

export const fetchBody = z.object({
  // Any caller id: Synap's TypeScript adapter passes the application's own conversation
  // id, which its turn writes (/v1/memories/ingest) map the same way.
  conversation_id: optionalExternalConversationId,
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
      const selected = selectForAnswer(memories, maxResults);
      // Both clients' shapes at once: the Python client reads `context`, Synap's
      // TypeScript adapter reads `items_by_type`, `bundle_id`, `total_tokens` and
      // `metadata.source` (`cache` would make it report a cache hit; every answer
      // here is assembled fresh).
      const answer: Record<string, unknown> = {
        context: toContextJson(selected),
        items_by_type: toItemsByTypeJson(selected),
        bundle_id: randomUUID(),
        total_tokens: selected.reduce((sum, { memory }) => sum + estimateTokens(memory.content), 0),
        metadata: { source: 'cloud', retrieved_at: new Date().toISOString() },
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
      const id = toConversationUuid(auth.clientId, body.conversation_id);
      const conversation = await deps.store.getConversation(auth.clientId, id);
      // A caller that speaks for a user reads only that user's conversation, within
      // that user's customer; another's is as absent as one that does not exist.
      const party = body.user_id
        ? { userId: body.user_id, customerId: body.customer_id ?? '' }
        : undefined;
      if (conversation && party && !ownsConversation(conversation, party)) {
        throw ServerError.notFound(`conversation ${body.conversation_id}`);
      }
      if (conversation) {
        return {
          userId: conversation.userId,
          customerId: conversation.customerId,
          conversationId: conversation.id,
        };
      }
      // A conversation not recorded yet (an agent fetches before its first turn is
      // written): the user's memories still apply when the caller named the user.
      if (!body.user_id) throw ServerError.notFound(`conversation ${body.conversation_id}`);
      return {
        userId: body.user_id,
        customerId: resolveCustomer(auth, body.user_id, body.customer_id),
        conversationId: null,
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
