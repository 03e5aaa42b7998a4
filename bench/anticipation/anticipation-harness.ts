import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { createClient, type ForesightClient } from '../../src/client/create-client.js';
import type { ContextBundle, SendMessageInput } from '../../src/client/types.js';
import { MemoryAnticipator } from '../../src/engine/index.js';
import { createServer, type ForesightServer } from '../../src/server/create-server.js';
import type { NewMemory } from '../../src/store/records.js';
import { benchMemory } from '../support/memory-corpus.js';
import { SeededRandom } from '../support/seeded-random.js';
import { type BundleScore, scoreBundle } from './bundle-score.js';
import { ExtractionWatch } from './extraction-watch.js';
import type { Conversation, Scenario, TenantName } from './scenario.js';
import { normalize, tenantOf } from './scenario-check.js';
import { openSeededStore, type SeededStore, TENANT_CLIENTS } from './seeded-store.js';

export interface HarnessOptions {
  /** Background memories of other users in the store. */
  memories: number;
  log?: (line: string) => void;
  /** Bound of each wait for extraction, ms. Default 30 000. */
  extractionTimeoutMs?: number;
  /** Bound of each wait for a bundle, ms. Default 5000. */
  bundleTimeoutMs?: number;
  /**
   * Unrelated memories each scenario's probing user already has before the history is
   * recorded (the bench corpus, none sharing a word with the scenario's phrases): a
   * real user has dozens to hundreds, and precision means little against three.
   * Default 0.
   */
  ownMemories?: number;
}

export interface ScenarioRun {
  scenario: Scenario;
  /** Of the first probe: later ones may hit the plan cache. */
  score: BundleScore;
  /** The first bundle's `search_queries`: what the engine looked for. */
  searchQueries: string[];
  /** Client-side, from `sendMessage` to the bundle's arrival, one per probe. */
  latenciesMs: number[];
  /** The server's own `retrieval_time_ms` (whole ms), one per probe. */
  retrievalMs: number[];
}

/** A scenario's recorded history. */
export interface RecordedScenario {
  /** One per history entry, in order. */
  conversationIds: string[];
  /**
   * Where the probes go: the history entry the probe names, or one fresh conversation
   * kept for every probe of the scenario (an agent's events share their conversation).
   */
  probeConversationId: string;
}

const UNLIMITED = 1_000_000;
const DAY_MS = 86_400_000;

/**
 * A real server over a seeded PGlite store, and one real client per tenant, each
 * listening on its own gRPC stream. Records scenario histories through
 * `conversation.recordMessages`, lets the server's background extraction turn them
 * into memories, then sends the probe with `instance.sendMessage` and awaits the
 * bundle pushed back with `context.waitFor`.
 */
export class AnticipationHarness {
  readonly seeded: SeededStore;
  readonly #server: ForesightServer;
  readonly #clients: Record<TenantName, ForesightClient>;
  readonly #arrivals = new Map<string, number>();
  readonly #watch: ExtractionWatch;
  readonly #extractionTimeoutMs: number;
  readonly #bundleTimeoutMs: number;
  readonly #ownMemories: number;
  readonly #random = new SeededRandom(7);
  #wide: MemoryAnticipator | undefined;
  #closing: Promise<void> | undefined;

  private constructor(
    seeded: SeededStore,
    server: ForesightServer,
    clients: Record<TenantName, ForesightClient>,
    options: HarnessOptions,
  ) {
    this.seeded = seeded;
    this.#server = server;
    this.#clients = clients;
    this.#watch = new ExtractionWatch(seeded.database);
    this.#extractionTimeoutMs = options.extractionTimeoutMs ?? 30_000;
    this.#bundleTimeoutMs = options.bundleTimeoutMs ?? 5000;
    this.#ownMemories = options.ownMemories ?? 0;
  }

  static async start(options: HarnessOptions): Promise<AnticipationHarness> {
    const log = options.log ?? (() => {});
    const seeded = await openSeededStore({ memories: options.memories, log });
    let server: ForesightServer | undefined;
    const clients: Partial<Record<TenantName, ForesightClient>> = {};
    try {
      server = await createServer({
        store: seeded.store,
        port: 0,
        grpcPort: 0,
        serverSecret: 'anticipation-bench',
        logger: pino({ level: 'silent' }),
        // Recording a history is a burst of requests; a 429 would lose turns.
        requestsPerSecond: UNLIMITED,
        requestBurst: UNLIMITED,
        streamEventsPerSecond: UNLIMITED,
      });
      for (const [tenant, { clientId, mode }] of Object.entries(TENANT_CLIENTS)) {
        await server.store.upsertClient({ id: clientId, name: clientId, mode });
        const { key } = await server.apiKeys.create({ clientId, name: 'anticipation bench' });
        clients[tenant as TenantName] = createClient({
          url: server.restUrl,
          grpcTarget: server.grpcTarget,
          apiKey: key,
          env: {},
        });
      }
      const harness = new AnticipationHarness(
        seeded,
        server,
        clients as Record<TenantName, ForesightClient>,
        options,
      );
      for (const tenant of ['consumer', 'business'] as const) {
        await harness.#clients[tenant].instance.listen({
          onBundle: (bundle) => {
            if (bundle.inReplyToEventId) {
              harness.#arrivals.set(bundle.inReplyToEventId, performance.now());
            }
          },
        });
      }
      return harness;
    } catch (error) {
      await Promise.allSettled(Object.values(clients).map((client) => client.close()));
      await server?.close({ graceMs: 500 });
      await seeded.close();
      throw error;
    }
  }

  /** Records the scenario's history, then sends its probe `repeats` times. */
  async run(scenario: Scenario, repeats = 1): Promise<ScenarioRun> {
    const recorded = await this.record(scenario);
    const latenciesMs: number[] = [];
    const retrievalMs: number[] = [];
    let score: BundleScore | undefined;
    let searchQueries: string[] = [];
    for (let attempt = 0; attempt < Math.max(1, repeats); attempt++) {
      const { bundle, latencyMs } = await this.probe(scenario, recorded);
      latenciesMs.push(latencyMs);
      retrievalMs.push(bundle.retrievalTimeMs);
      if (!score) {
        score = scoreBundle(scenario, bundle);
        searchQueries = bundle.searchQueries;
      }
    }
    return { scenario, score: score as BundleScore, searchQueries, latenciesMs, retrievalMs };
  }

  /**
   * Records each conversation in one `recordMessages` call and waits for its
   * extraction before the next, so memories are stored in the order things were said
   * (the later statement is the one that must win).
   */
  async record(scenario: Scenario): Promise<RecordedScenario> {
    await this.#seedOwnMemories(scenario);
    const ids: string[] = [];
    for (const conversation of scenario.history) {
      const conversationId = randomUUID();
      ids.push(conversationId);
      const tenant = tenantOf(scenario, conversation);
      await this.#recordConversation(scenario, conversation, conversationId);
      if (conversation.turns.some((turn) => turn.role === 'user')) {
        this.#watch.expect(TENANT_CLIENTS[tenant].clientId);
      }
      await this.#watch.settled(this.#extractionTimeoutMs);
    }
    const index = scenario.probe.conversation;
    return {
      conversationIds: ids,
      probeConversationId: index === undefined ? randomUUID() : (ids[index] ?? ''),
    };
  }

  /**
   * One conversation: as live turns, or, when it happened days ago, ingested as a
   * transcript whose turns carry that time (what relative dates are read against).
   */
  async #recordConversation(
    scenario: Scenario,
    conversation: Conversation,
    conversationId: string,
  ): Promise<void> {
    const client = this.#clients[tenantOf(scenario, conversation)];
    const owner = ownerIds(scenario, conversation);
    if (conversation.daysAgo !== undefined) {
      const start = Date.now() - conversation.daysAgo * DAY_MS;
      await client.conversation.ingest({
        conversationId,
        ...owner,
        transcript: conversation.turns.map((turn, at) => ({
          role: turn.role,
          content: turn.content,
          timestamp: new Date(start + at * 1000),
        })),
      });
      return;
    }
    const result = await client.conversation.recordMessages(
      conversation.turns.map((turn) => ({
        conversationId,
        role: turn.role,
        content: turn.content,
        ...owner,
      })),
    );
    if (result.failed > 0) {
      const failure = result.results.find((outcome) => !outcome.ok);
      throw new Error(
        `${scenario.id}: recording failed: ${failure && !failure.ok ? failure.message : '?'}`,
      );
    }
  }

  /** The probing user's unrelated memories (`ownMemories`), none naming a scenario phrase's word. */
  async #seedOwnMemories(scenario: Scenario): Promise<void> {
    if (this.#ownMemories === 0) return;
    const phraseWords = new Set(
      [...scenario.mustContain, ...scenario.mustNotContain.map((entry) => entry.phrase)].flatMap(
        contentWords,
      ),
    );
    const phrases = [
      ...scenario.mustContain,
      ...scenario.mustNotContain.map((entry) => entry.phrase),
    ].map(normalize);
    const owner = ownerIds(scenario, { user: scenario.user, customer: scenario.customer });
    const memories: NewMemory[] = [];
    for (
      let tries = 0;
      memories.length < this.#ownMemories && tries < this.#ownMemories * 20;
      tries++
    ) {
      const memory = benchMemory(0, this.#random);
      const text = normalize(memory.content);
      // Neither a word of a phrase nor the phrase itself ("7:30" has no word): a
      // background memory must never count as a find or a leak.
      if (contentWords(memory.content).some((word) => phraseWords.has(word))) continue;
      if (phrases.some((phrase) => text.includes(phrase))) continue;
      memories.push({ ...memory, userId: owner.userId, customerId: owner.customerId ?? '' });
    }
    await this.#server.store.insertMemories(TENANT_CLIENTS[scenario.tenant].clientId, memories);
  }

  /** Sends the scenario's probe once; answers the bundle and the client-side latency. */
  async probe(
    scenario: Scenario,
    recorded: RecordedScenario,
  ): Promise<{ bundle: ContextBundle; latencyMs: number }> {
    const client = this.#clients[scenario.tenant];
    const { probe } = scenario;
    const conversationId = recorded.probeConversationId;
    const owner = ownerIds(scenario, { user: scenario.user, customer: scenario.customer });
    const event: SendMessageInput =
      probe.eventType === 'tool_call'
        ? {
            eventType: 'tool_call',
            conversationId,
            ...owner,
            role: 'assistant',
            toolName: probe.toolName,
            toolArgs: probe.toolArgs,
          }
        : {
            eventType: 'user_message',
            conversationId,
            ...owner,
            role: 'user',
            content: probe.content,
          };
    const sent = performance.now();
    const eventId = await client.instance.sendMessage(event);
    const result = await client.context.waitFor({
      conversationId,
      afterEvent: eventId,
      timeoutMs: this.#bundleTimeoutMs,
    });
    if (result.status !== 'ready') {
      throw new Error(`${scenario.id}: no bundle for the probe (${result.status})`);
    }
    const arrived = this.#arrivals.get(eventId) ?? performance.now();
    this.#arrivals.delete(eventId);
    return { bundle: result.bundle, latencyMs: arrived - sent };
  }

  /**
   * Reports `itemIds` of `bundle` as used, as the agent's client would (`context_used`
   * on its stream), and waits until the server has counted them (at most 5 s). Answers
   * how many items the server holds as used by the scenario's user.
   */
  async reportUsed(scenario: Scenario, bundle: ContextBundle, itemIds: string[]): Promise<number> {
    if (itemIds.length === 0) return 0;
    const owner = ownerIds(scenario, { user: scenario.user, customer: scenario.customer });
    const clientId = TENANT_CLIENTS[scenario.tenant].clientId;
    const sent = this.#clients[scenario.tenant].instance.reportContextUsed({
      bundleId: bundle.bundleId,
      userId: owner.userId,
      ...(owner.customerId ? { customerId: owner.customerId } : {}),
      itemIds,
    });
    if (!sent) throw new Error(`${scenario.id}: the usage report was not sent`);
    const deadline = performance.now() + 5000;
    for (;;) {
      const usage = await this.#server.store.listItemUsage(clientId, {
        userId: owner.userId,
        customerId: owner.customerId ?? '',
      });
      if (usage.length >= itemIds.length || performance.now() > deadline) return usage.length;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Every candidate the engine would rank for the scenario's probe, with its score,
   * from an anticipator over the same store with no cut (no bar, no item cap, no
   * budget): what calibrating the cut needs to see. Runs beside the server's own
   * anticipator; sends nothing over the wire.
   */
  async candidates(
    scenario: Scenario,
    recorded: RecordedScenario,
  ): Promise<{ content: string; score: number; source: string; type: string; scope: string }[]> {
    const owner = ownerIds(scenario, { user: scenario.user, customer: scenario.customer });
    const { probe } = scenario;
    this.#wide ??= new MemoryAnticipator({
      store: this.#server.store,
      minScore: 0,
      minRelativeScore: 0,
      maxItems: 10_000,
      tokenBudget: 10_000_000,
    });
    const bundle = await this.#wide.anticipate(TENANT_CLIENTS[scenario.tenant].clientId, {
      eventId: randomUUID(),
      eventType: probe.eventType,
      conversationId: recorded.probeConversationId,
      userId: owner.userId,
      customerId: owner.customerId ?? '',
      role: probe.eventType === 'tool_call' ? 'assistant' : 'user',
      content: probe.eventType === 'user_message' ? probe.content : '',
      toolName: probe.eventType === 'tool_call' ? probe.toolName : '',
      toolArgs: probe.eventType === 'tool_call' ? probe.toolArgs : null,
      searchQueries: [],
      contextTypes: [],
    });
    return Object.values(bundle.itemsByType)
      .flatMap((items) => items ?? [])
      .map((item) => ({
        content: item.content,
        score: item.relevanceScore,
        source: item.source,
        type: item.contextType,
        scope: item.scope,
      }))
      .sort((a, b) => b.score - a.score);
  }

  /** Closes the clients, the server and the store. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled(Object.values(this.#clients).map((client) => client.close()));
      try {
        await this.#server.close({ graceMs: 1000 });
      } finally {
        await this.seeded.close();
      }
    })();
    return this.#closing;
  }
}

/** Lower-case words of four letters or more: what makes two texts about one thing. */
function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/\p{L}{4,}/gu) ?? []).map((word) => word.slice(0, 5));
}

/** Scenario-local ids made unique across scenarios, so each sees only its own people. */
function ownerIds(
  scenario: Scenario,
  conversation: Pick<Conversation, 'user' | 'customer'>,
): { userId: string; customerId?: string } {
  return {
    userId: `${scenario.id}.${conversation.user}`,
    ...(conversation.customer ? { customerId: `${scenario.id}.${conversation.customer}` } : {}),
  };
}
