import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ContextBundle, ContextItem } from '../protocol/context-bundle.js';
import type { MemoryType, SimilarMemories, SimilarMemory, SourceTurn } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { AnticipationEvent, Anticipator } from './anticipator.js';
import {
  type Candidate,
  clampUnit,
  memoryCandidate,
  messageCandidate,
  type RankingContext,
  rankCandidates,
} from './candidate-ranking.js';
import { buildConversationContext, type ConversationState } from './conversation-context.js';
import { ConversationOwners, ownsConversation } from './conversation-owners.js';
import { ConversationStates } from './conversation-states.js';
import { type EmbeddingModelLike, embedTexts } from './embedding-model.js';
import { hopEntities } from './entity-hop.js';
import { type EventSignals, eventSignals, MemorySignals, orMatch } from './event-signals.js';
import { fuseRankings } from './hybrid-fusion.js';
import { ItemUsageCache, type ToolUse } from './item-usage.js';
import { MemoryWorkingSet, type WorkingMemory } from './memory-working-set.js';
import { type MessageQuery, MessageWorkingSet } from './message-working-set.js';
import { spreadRepeats } from './near-duplicates.js';
import { demoteOthers } from './others.js';
import { PlanCache } from './plan-cache.js';
import { PoolRelevance, type PoolText, type QueryTerm } from './pool-relevance.js';
import type { QueryPlan } from './query-planner.js';
import {
  SemanticSimilarity,
  semanticWords,
  stem,
  type TextWords,
} from './semantic/semantic-similarity.js';
import { followSuccessors } from './successor-hop.js';
import { capToBudget, DEFAULT_TOKEN_BUDGET } from './token-budget.js';
import { hopNeighbours } from './turn-neighbours.js';

export interface MemoryAnticipatorOptions {
  store: Store;
  /** Tokens of items a bundle may carry (4 characters a token). Default 2000. */
  tokenBudget?: number;
  /** Searches per event, all in one statement per source. Default 8. */
  maxQueries?: number;
  /**
   * Nearest memories read per event by hybrid retrieval's vector search. The lexical
   * side ranks every memory the event may see. Default 60.
   */
  memoryLimit?: number;
  /** Past messages read per event. Default 8. */
  messageLimit?: number;
  /** Turns of the conversation put into `conversationContext`. Default 6. */
  recentTurns?: number;
  /**
   * Items scoring below this share of the best item are left out: they would fill the
   * prompt with what matched one vague word. Default 0.3.
   */
  minRelativeScore?: number;
  /**
   * The calibrated bar: an item scoring below it is left out whatever the rest scored,
   * so a bundle never fills up with what merely came closest. Default 0.1.
   */
  minScore?: number;
  /**
   * Items a bundle carries at least, when the user has that many with any relevance,
   * whatever `minScore` says. Default 2.
   */
  minItems?: number;
  /** Items a bundle carries at most, best first. Default 10. */
  maxItems?: number;
  /** How long the client may serve the bundle from its cache. Default 300. */
  ttlHintSeconds?: number;
  /**
   * The offline semantic signal (word vectors, semantic-similarity.ts) that lets a
   * memory sharing no word with the event still rank; `false` turns it off. Default: on,
   * one instance per anticipator.
   */
  semantic?: SemanticSimilarity | false;
  /**
   * Hybrid retrieval: with a model (an AI SDK `EmbeddingModel`) and pgvector in the
   * store, the event is embedded and the nearest memories fused with the lexical ones
   * (hybrid-fusion.ts). Memories get their embeddings from an `EmbeddingIndexer`. The
   * embedding call is bounded by `timeoutMs` (default 250); past it, or on any
   * failure, the bundle is lexical only and says so in `warnings`.
   */
  embeddings?: { model: EmbeddingModelLike; timeoutMs?: number; minCosine?: number };
  /**
   * Where the event's candidate memories come from: every current memory its scope may
   * see, held in memory with compiled words (memory-working-set.ts). Default: one per
   * anticipator, following the store's writes.
   */
  workingSet?: MemoryWorkingSet;
  /**
   * Where the event's past messages come from: each user's newest messages, held in
   * memory with compiled words (message-working-set.ts). Default: one per anticipator,
   * following the store's writes.
   */
  messageSet?: MessageWorkingSet;
  logger?: Logger;
  now?: () => Date;
  newId?: () => string;
}

/** The plan's words: the event's (for meaning), the ranking terms, the message search's queries. */
interface PlanWords {
  event: TextWords | undefined;
  terms: QueryTerm[];
  messageQueries: MessageQuery['queries'];
}

const DEFAULT_EMBEDDING_TIMEOUT_MS = 250;
// Below this a vector neighbour is a neighbour only because the list had room.
const DEFAULT_MIN_COSINE = 0.2;
// What an item the agent used for this tool is worth, once used USES_TO_SATURATE times;
// what an item it was served that often and never used loses.
const USED_MATCH = 0.6;
const UNUSED_PENALTY = 0.6;
const USES_TO_SATURATE = 2;
// Below this an item shares nothing with the event, not even a near word: it is never
// served, not even to keep a bundle from being empty.
const MIN_ANY_SCORE = 0.02;
// A score this low is noise whatever the best item scored.
const DEFAULT_MIN_SCORE = 0.1;

/**
 * The offline anticipator: plans weighted lexical queries from the event (the client's
 * searches, the entities in the tool arguments, the turn, the tool and the intent it
 * calls up: query-planner.ts, query-expansion.ts), reads the memories and past
 * messages the event's scope may see in one statement each, ranks them by text match,
 * confidence, scope, type and recency (candidate-ranking.ts), and fills the token
 * budget. No model, deterministic. A failing source degrades the bundle
 * (`degradationLevel`, `warnings`) instead of failing the event.
 */
export class MemoryAnticipator implements Anticipator {
  readonly #store: Store;
  readonly #options: Required<
    Omit<
      MemoryAnticipatorOptions,
      'store' | 'logger' | 'embeddings' | 'semantic' | 'workingSet' | 'messageSet'
    >
  > &
    Pick<MemoryAnticipatorOptions, 'embeddings'>;
  readonly #semantic: SemanticSimilarity | undefined;
  /** The event's words and query terms, per cached plan. */
  readonly #planWords = new WeakMap<QueryPlan, PlanWords>();
  readonly #logger: Logger | undefined;
  readonly #owners: ConversationOwners;
  readonly #plans: PlanCache;
  readonly #workingSet: MemoryWorkingSet;
  readonly #messages: MessageWorkingSet;
  readonly #usage: ItemUsageCache;
  readonly #conversations: ConversationStates;
  readonly #signals = new MemorySignals();

  constructor(options: MemoryAnticipatorOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#options = {
      tokenBudget: options.tokenBudget ?? DEFAULT_TOKEN_BUDGET,
      maxQueries: options.maxQueries ?? 8,
      memoryLimit: options.memoryLimit ?? 60,
      messageLimit: options.messageLimit ?? 8,
      recentTurns: options.recentTurns ?? 6,
      minRelativeScore: options.minRelativeScore ?? 0.3,
      minScore: options.minScore ?? DEFAULT_MIN_SCORE,
      minItems: options.minItems ?? 2,
      maxItems: options.maxItems ?? 10,
      ttlHintSeconds: options.ttlHintSeconds ?? 300,
      ...(options.embeddings ? { embeddings: options.embeddings } : {}),
      now: options.now ?? (() => new Date()),
      newId: options.newId ?? randomUUID,
    };
    this.#semantic =
      options.semantic === false ? undefined : (options.semantic ?? new SemanticSimilarity());
    this.#owners = new ConversationOwners(options.store);
    const semantic = this.#semantic;
    this.#usage = new ItemUsageCache(options.store);
    this.#conversations = new ConversationStates({
      store: options.store,
      recentTurns: this.#options.recentTurns,
    });
    this.#workingSet =
      options.workingSet ??
      new MemoryWorkingSet({ store: options.store, words: (text) => compileWords(semantic, text) });
    this.#messages =
      options.messageSet ??
      new MessageWorkingSet({
        store: options.store,
        words: (text, key) => compileWords(semantic, text, key),
      });
    this.#plans = new PlanCache(this.#options.maxQueries);
  }

  async anticipate(clientId: string, event: AnticipationEvent): Promise<ContextBundle> {
    const started = performance.now();
    const options = this.#options;
    const plan = this.#plans.plan(event);
    const warnings: string[] = [];
    const owner = event.conversationId
      ? ((await this.#settle('conversation', warnings, () =>
          this.#owners.get(clientId, event.conversationId),
        )) ?? null)
      : null;
    // A conversation id is only a retrieval scope for its own user and customer: anyone
    // else naming it gets their own memories and none of its turns.
    const owned = owner !== null && ownsConversation(owner, event);
    const conversationId = owned ? event.conversationId : null;
    // B2C events may omit the customer: retrieval uses the conversation's. The bundle
    // keeps the ids the client sent, since the client caches it under them.
    const customerId = event.customerId || (owned ? owner.customerId : '');
    const queries = plan.queries.map((query) => query.text);

    const [memories, messages, context, similar, used] = await Promise.all([
      this.#settle('memories', warnings, () =>
        this.#workingSet.visible(
          clientId,
          { userId: event.userId, customerId, conversationId, types: plan.types },
          options.now(),
        ),
      ),
      options.messageLimit > 0
        ? this.#settle('messages', warnings, () =>
            this.#messages.search(
              clientId,
              {
                userId: event.userId,
                customerId,
                queries: this.#planned(plan).messageQueries,
                limit: options.messageLimit,
              },
              options.now(),
            ),
          )
        : Promise.resolve([]),
      this.#settle('conversation', warnings, () =>
        owned ? this.#conversationState(clientId, event.conversationId) : Promise.resolve(null),
      ),
      this.#similar(clientId, plan.keywords, warnings, {
        userId: event.userId,
        customerId,
        conversationId,
        types: plan.types,
        limit: options.memoryLimit,
      }),
      this.#settle('usage', warnings, () =>
        this.#usage.forTool(clientId, { userId: event.userId, customerId }, event.toolName),
      ),
    ]);

    const ranking: RankingContext = { preferredTypes: plan.preferredTypes, now: options.now() };
    const recentIds = new Set(context?.turns.map((turn) => turn.id));
    const pastMessages = (messages ?? []).filter((hit) => !recentIds.has(hit.message.id));
    const relevance = this.#relevance(plan, [
      ...(memories ?? []).map((held) => ({
        key: held.memory.id,
        text: held.memory.content,
        words: held.words,
      })),
      ...pastMessages.map((hit) => ({
        key: hit.message.id,
        text: hit.message.content,
        words: hit.words,
      })),
    ]);
    const memoryCount = memories?.length ?? 0;
    const candidates: Candidate[] = [
      ...this.#memoryCandidates(
        memories ?? [],
        similar,
        relevance,
        ranking,
        eventSignals(event, plan.categories, ranking.now),
      ),
      ...pastMessages.map((hit, at) =>
        messageCandidate(
          hit.message,
          relevance.score(memoryCount + at),
          ranking,
          event.conversationId,
        ),
      ),
    ];
    const semantic = this.#semantic;
    const turns = sourceTurns(memories ?? []);
    // Planned words are lower case already: one set serves every step that asks whether
    // the event named a word.
    const eventWords = new Set(plan.keywords);
    // Scored, then each hop in turn: the entities the best items name, what was said
    // next to them; repeats make room; then what replaced the items left near the top.
    const knownWord = semantic ? (word: string) => semantic.knows(word) : undefined;
    const scored = rankCandidates(demoteOthers(withUse(candidates, used), eventWords, knownWord));
    const entities = hopEntities(scored, {
      eventWords,
      turns,
      ...(knownWord ? { knownWord } : {}),
      ...(semantic ? { wordRank: (word: string) => semantic.rank(word) } : {}),
    });
    const neighbours = hopNeighbours(entities, turns, options.minScore);
    // Stems compiled once per memory (cached by id), as the pool's ranking read them.
    const spread = spreadRepeats(
      neighbours,
      (candidate) => compileWords(semantic, candidate.item.content, candidate.item.itemId).stems,
    );
    // After the repeats made room: the items a bundle may carry are the ones to follow.
    const ranked = followSuccessors(spread, {
      ...(semantic ? { semantic } : {}),
      minSeedScore: options.minScore,
      turns,
    });
    const floor = Math.max(options.minScore, (ranked[0]?.score ?? 0) * options.minRelativeScore);
    // The best items stay whatever the bar: a user with memories never gets an empty
    // bundle because the event's words were vague ("why is my bill so high?").
    const kept = ranked.filter(
      (candidate, at) =>
        candidate.score >= floor || (at < options.minItems && candidate.score >= MIN_ANY_SCORE),
    );
    const budget = capToBudget(kept.slice(0, options.maxItems), options.tokenBudget);
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
      searchQueries: queries,
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
    // int32 on the wire: whole milliseconds.
    bundle.retrievalTimeMs = Math.round(performance.now() - started);
    return bundle;
  }

  /**
   * Memories scored by their relevance in the event's pool (pool-relevance.ts); with
   * hybrid retrieval on, that ranking and the vector one fused by rank instead, so a
   * memory found by an embedding alone competes with the word matches.
   */
  #memoryCandidates(
    memories: WorkingMemory[],
    similar: SimilarMemory[] | undefined,
    relevance: PoolRelevance,
    ranking: RankingContext,
    event: EventSignals,
  ): Candidate[] {
    // What the event is about besides its words (event-signals.ts): a preference of the
    // intent's category ("Always flies aisle seats" for any trip), what holds or recurs
    // on its days, a money rule its amount crosses, home, constraints.
    const scored = memories.map((hit, at) => ({
      memory: hit.memory,
      score: this.#signals.score(hit, relevance.score(at), event),
    }));
    if (similar === undefined) {
      return scored.map(({ memory, score }) => memoryCandidate(memory, score, ranking));
    }
    const lexical = [...scored].sort((a, b) => b.score - a.score).map((entry) => entry.memory);
    const fused = fuseRankings(
      lexical,
      similar.map((hit) => hit.memory),
    );
    return [...fused.values()].map(({ memory, score }) => memoryCandidate(memory, score, ranking));
  }

  /** The plan's words as ranking and the message search read them, once per cached plan. */
  #planned(plan: QueryPlan): PlanWords {
    let planned = this.#planWords.get(plan);
    if (!planned) {
      const terms = plan.queries.flatMap((query) =>
        semanticWords(query.text).map((word) => ({
          word: stem(word),
          weight: query.weight,
          bag: query.source === 'expansion',
        })),
      );
      const messageQueries = plan.queries.map((query) => ({
        stems: [...new Set(semanticWords(query.text).map(stem))],
        weight: query.weight,
      }));
      const event = this.#semantic?.textWords(plan.keywords.join(' '));
      planned = { event, terms, messageQueries };
      this.#planWords.set(plan, planned);
    }
    return planned;
  }

  /** How the event's pool of candidates is scored: its query terms, and its words' meaning. */
  #relevance(plan: QueryPlan, pool: PoolText[]): PoolRelevance {
    const planned = this.#planned(plan);
    const semantic = this.#semantic;
    return new PoolRelevance(pool, planned.terms, semantic, planned.event, (text) =>
      compileWords(semantic, text.text, text.key),
    );
  }

  /** The vector side of hybrid retrieval; undefined when off, failed or too slow. */
  async #similar(
    clientId: string,
    keywords: string[],
    warnings: string[],
    scope: Omit<SimilarMemories, 'vector'>,
  ): Promise<SimilarMemory[] | undefined> {
    const embeddings = this.#options.embeddings;
    if (!embeddings || !this.#store.vectors || keywords.length === 0) return undefined;
    return this.#settle('embeddings', warnings, async () => {
      const [vector] = await embedTexts(
        embeddings.model,
        [keywords.join(' ')],
        AbortSignal.timeout(embeddings.timeoutMs ?? DEFAULT_EMBEDDING_TIMEOUT_MS),
      );
      if (!vector) return [];
      const hits = await this.#store.similarMemories(clientId, { ...scope, vector });
      const minCosine = embeddings.minCosine ?? DEFAULT_MIN_COSINE;
      return hits.filter((hit) => hit.cosine >= minCosine);
    });
  }

  #conversationState(clientId: string, conversationId: string): Promise<ConversationState> {
    return this.#conversations.get(clientId, conversationId);
  }

  usageRecorded(clientId: string, owner: { userId: string; customerId: string }): void {
    this.#usage.forget(clientId, owner);
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

/**
 * The learning loop: an item the agent reported using (`context_used`) for this tool
 * before counts as a strong match again, the more so the more often it was used; one
 * it was served for this tool and never used loses part of its score, the more so the
 * more often it was passed over.
 */
function withUse(
  candidates: Candidate[],
  used: ReadonlyMap<string, ToolUse> | undefined,
): Candidate[] {
  if (!used || used.size === 0) return candidates;
  return candidates.map((candidate) => {
    const use = used.get(candidate.item.itemId);
    if (!use) return candidate;
    const score =
      use.uses > 0
        ? orMatch(candidate.score, USED_MATCH * Math.min(1, use.uses / USES_TO_SATURATE))
        : candidate.score * (1 - UNUSED_PENALTY * Math.min(1, use.serves / USES_TO_SATURATE));
    return { ...candidate, score, item: { ...candidate.item, relevanceScore: score } };
  });
}

/** A text's words for ranking; without the semantic signal, its stems only. */
function compileWords(
  semantic: SemanticSimilarity | undefined,
  text: string,
  key?: string,
): TextWords {
  return semantic
    ? semantic.textWords(text, key)
    : { stems: semanticWords(text).map(stem), vectors: [], specificity: [] };
}

/** Mean relevance of the three best items; 0 for an empty bundle. */
function confidenceOf(kept: readonly Candidate[]): number {
  const top = kept.slice(0, 3);
  if (top.length === 0) return 0;
  return clampUnit(top.reduce((sum, candidate) => sum + candidate.score, 0) / top.length);
}

/** Where each held memory was said, by item id, for those with a recorded source. */
function sourceTurns(memories: readonly WorkingMemory[]): Map<string, SourceTurn> {
  const turns = new Map<string, SourceTurn>();
  for (const held of memories) {
    if (held.sourceTurn) turns.set(held.memory.id, held.sourceTurn);
  }
  return turns;
}
