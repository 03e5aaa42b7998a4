import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ContextBundle, ContextItem } from '../protocol/context-bundle.js';
import type {
  MemoryRecord,
  MemoryType,
  MessageRecord,
  ScoredMemory,
  ScoredMessage,
} from '../store/records.js';
import type { Store } from '../store/store.js';
import type { AnticipationEvent, Anticipator } from './anticipator.js';
import {
  type Candidate,
  clampUnit,
  type Match,
  memoryCandidate,
  messageCandidate,
  rankCandidates,
} from './candidate-ranking.js';
import { buildConversationContext, type ConversationState } from './conversation-context.js';
import { planQueries } from './query-planner.js';
import { capToBudget, DEFAULT_TOKEN_BUDGET } from './token-budget.js';

export interface BaselineAnticipatorOptions {
  store: Store;
  /** Tokens of items a bundle may carry (4 characters a token). Default 2000. */
  tokenBudget?: number;
  /** Searches per source per event. Default 8. */
  maxQueries?: number;
  /** Memories fetched per query. Default 10. */
  memoriesPerQuery?: number;
  /** Queries also run against the user's past messages. Default 4. */
  messageQueries?: number;
  /** Messages fetched per query. Default 5. */
  messagesPerQuery?: number;
  /** Turns of the conversation put into `conversationContext`. Default 6. */
  recentTurns?: number;
  /** How long the client may serve the bundle from its cache. Default 300. */
  ttlHintSeconds?: number;
  logger?: Logger;
  now?: () => Date;
  newId?: () => string;
}

/**
 * The offline anticipator: plans lexical queries from the event (query-planner.ts),
 * searches the user's memories and past messages in the store, ranks, and fills the
 * token budget. No model, deterministic, fast: the floor the memory engine must beat.
 * A failing source degrades the bundle (`degradationLevel`, `warnings`) instead of
 * failing the event.
 */
export class BaselineAnticipator implements Anticipator {
  readonly #store: Store;
  readonly #options: Required<Omit<BaselineAnticipatorOptions, 'store' | 'logger'>>;
  readonly #logger: Logger | undefined;

  constructor(options: BaselineAnticipatorOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#options = {
      tokenBudget: options.tokenBudget ?? DEFAULT_TOKEN_BUDGET,
      maxQueries: options.maxQueries ?? 8,
      memoriesPerQuery: options.memoriesPerQuery ?? 10,
      messageQueries: options.messageQueries ?? 4,
      messagesPerQuery: options.messagesPerQuery ?? 5,
      recentTurns: options.recentTurns ?? 6,
      ttlHintSeconds: options.ttlHintSeconds ?? 300,
      now: options.now ?? (() => new Date()),
      newId: options.newId ?? randomUUID,
    };
  }

  async anticipate(clientId: string, event: AnticipationEvent): Promise<ContextBundle> {
    const started = performance.now();
    const options = this.#options;
    const plan = planQueries(event, { maxQueries: options.maxQueries });
    const warnings: string[] = [];
    const conversation = event.conversationId
      ? ((await this.#settle('conversation', warnings, () =>
          this.#store.getConversation(clientId, event.conversationId),
        )) ?? null)
      : null;
    // A conversation id is only a retrieval scope for its own user: anyone else
    // naming it gets their own memories and none of its turns.
    const owned = conversation !== null && conversation.userId === event.userId;
    const conversationId = owned ? event.conversationId : null;
    // B2C events may omit the customer: retrieval uses the conversation's. The bundle
    // keeps the ids the client sent, since the client caches it under them.
    const customerId = event.customerId || (owned ? conversation.customerId : '');

    const [memories, messages, context] = await Promise.all([
      this.#settle('memories', warnings, () =>
        this.#searchMemories(clientId, plan.queries, plan.types, {
          userId: event.userId,
          customerId,
          conversationId,
        }),
      ),
      this.#settle('messages', warnings, () =>
        this.#searchMessages(clientId, plan.queries.slice(0, options.messageQueries), {
          userId: event.userId,
          customerId,
        }),
      ),
      this.#settle('conversation', warnings, () =>
        owned ? this.#conversationState(clientId, event.conversationId) : Promise.resolve(null),
      ),
    ]);

    const queryCount = plan.queries.length;
    const recentIds = new Set(context?.turns.map((turn) => turn.id));
    const candidates: Candidate[] = [
      ...[...(memories ?? new Map()).values()].map((hit) =>
        memoryCandidate(hit.record, hit.match, queryCount),
      ),
      ...[...(messages ?? new Map()).values()]
        .filter((hit) => !recentIds.has(hit.record.id))
        .map((hit) => messageCandidate(hit.record, hit.match, queryCount, event.conversationId)),
    ];
    const budget = capToBudget(rankCandidates(candidates), options.tokenBudget);
    const itemsByType: Partial<Record<MemoryType, ContextItem[]>> = {};
    for (const { item } of budget.kept) {
      const list = itemsByType[item.contextType] ?? [];
      list.push(item);
      itemsByType[item.contextType] = list;
    }

    const searchesFailed = memories === undefined && messages === undefined;
    const bundle: ContextBundle = {
      bundleId: options.newId(),
      decisionId: options.newId(),
      itemsByType,
      totalTokens: budget.totalTokens,
      tokenBudget: options.tokenBudget,
      budgetExceeded: budget.dropped > 0,
      retrievalMode: 'fast',
      sourcesQueried: ['memories', 'messages'],
      degradationLevel: searchesFailed ? 'failed' : warnings.length ? 'partial' : 'none',
      warnings,
      createdAt: options.now().toISOString(),
      retrievalTimeMs: 0,
      cacheHit: false,
      searchQueries: plan.queries,
      anticipationUserId: event.userId,
      anticipationCustomerId: event.customerId,
      anticipationConversationId: event.conversationId,
      searchKeywords: plan.keywords,
      bundleType: event.eventType === 'context_request' ? 'reactive' : 'anticipation',
      bundleConfidence: confidenceOf(budget.kept),
      ttlHintSeconds: options.ttlHintSeconds,
      inReplyToEventId: event.eventId,
    };
    if (event.conversationId) {
      bundle.conversationContext = buildConversationContext(event, context ?? null);
    }
    bundle.retrievalTimeMs = Math.round(performance.now() - started);
    return bundle;
  }

  async #searchMemories(
    clientId: string,
    queries: string[],
    types: MemoryType[],
    scope: { userId: string; customerId: string; conversationId: string | null },
  ): Promise<Map<string, Hit<MemoryRecord>>> {
    // No query words at all: the most recent memories are the best guess.
    const searches = queries.length ? queries : [''];
    const results = await Promise.all(
      searches.map((query) =>
        this.#store.searchMemories(clientId, {
          ...scope,
          query,
          types,
          limit: this.#options.memoriesPerQuery,
        }),
      ),
    );
    return mergeHits(results, (hit: ScoredMemory) => ({ record: hit.memory, rank: hit.textRank }));
  }

  async #searchMessages(
    clientId: string,
    queries: string[],
    scope: { userId: string; customerId: string },
  ): Promise<Map<string, Hit<MessageRecord>>> {
    const results = await Promise.all(
      queries.map((query) =>
        this.#store.searchMessages(clientId, {
          ...scope,
          conversationId: null,
          query,
          limit: this.#options.messagesPerQuery,
        }),
      ),
    );
    return mergeHits(results, (hit: ScoredMessage) => ({
      record: hit.message,
      rank: hit.textRank,
    }));
  }

  async #conversationState(clientId: string, conversationId: string): Promise<ConversationState> {
    const [newest, compaction] = await Promise.all([
      this.#store.listMessages(clientId, conversationId, {
        newestFirst: true,
        limit: this.#options.recentTurns,
      }),
      this.#store.latestCompaction(clientId, conversationId, { status: 'completed' }),
    ]);
    return { turns: newest.reverse(), compaction };
  }

  /** Runs one source; on failure records a warning, logs, and answers undefined. */
  async #settle<T>(
    source: string,
    warnings: string[],
    run: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      warnings.push(`${source} unavailable`);
      this.#logger?.warn({ err: error, source }, 'anticipation source failed');
      return undefined;
    }
  }
}

interface Hit<R> {
  record: R;
  match: Match;
}

/** One entry per record id: best rank over all queries, and how many queries found it. */
function mergeHits<S, R extends { id: string }>(
  results: S[][],
  read: (hit: S) => { record: R; rank: number },
): Map<string, Hit<R>> {
  const merged = new Map<string, Hit<R>>();
  for (const result of results) {
    for (const raw of result) {
      const { record, rank } = read(raw);
      const held = merged.get(record.id);
      if (held) {
        held.match.bestTextRank = Math.max(held.match.bestTextRank, rank);
        held.match.queriesMatched += 1;
      } else {
        merged.set(record.id, { record, match: { bestTextRank: rank, queriesMatched: 1 } });
      }
    }
  }
  return merged;
}

/** Mean relevance of the three best items; 0 for an empty bundle. */
function confidenceOf(kept: readonly Candidate[]): number {
  const top = kept.slice(0, 3);
  if (top.length === 0) return 0;
  return clampUnit(top.reduce((sum, candidate) => sum + candidate.score, 0) / top.length);
}
