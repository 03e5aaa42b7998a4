import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { type EmbeddingModelLike, embedTexts } from './embedding-model.js';

export interface EmbeddingIndexerOptions {
  store: Store;
  model: EmbeddingModelLike;
  /** Memories embedded per round. Default 64. */
  batchSize?: number;
  /** Pause between rounds when nothing was left to embed, ms. Default 1000. */
  idleMs?: number;
  /** Pause after a failed round, ms. Default 10 000. */
  retryMs?: number;
  logger?: Logger;
}

/**
 * Gives new memories their embeddings in the background: reads current memories
 * without one (any client, oldest first), embeds them in one model call per batch and
 * stores the vectors. Replicas may run one each: a memory embedded twice is only
 * written twice. Without pgvector it does nothing. `stop()` waits for the round in
 * progress, so a server drains it like any job.
 */
export class EmbeddingIndexer {
  readonly #store: Store;
  readonly #model: EmbeddingModelLike;
  readonly #batchSize: number;
  readonly #idleMs: number;
  readonly #retryMs: number;
  readonly #logger: Logger | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #stopped = true;
  #failing = false;

  constructor(options: EmbeddingIndexerOptions) {
    this.#store = options.store;
    this.#model = options.model;
    this.#batchSize = options.batchSize ?? 64;
    this.#idleMs = options.idleMs ?? 1000;
    this.#retryMs = options.retryMs ?? 10_000;
    this.#logger = options.logger;
  }

  start(): void {
    if (!this.#store.vectors) {
      this.#logger?.info(
        'no pgvector in the store: memories are not embedded, retrieval is lexical',
      );
      return;
    }
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Embeds one batch; answers how many memories got an embedding. */
  async runOnce(): Promise<number> {
    const memories = await this.#store.memoriesToEmbed(this.#batchSize);
    if (memories.length === 0) return 0;
    const vectors = await embedTexts(
      this.#model,
      memories.map((memory) => memory.content),
    );
    await this.#store.saveEmbeddings(
      memories.map((memory, at) => ({
        clientId: memory.clientId,
        id: memory.id,
        vector: vectors[at] ?? [],
      })),
    );
    return memories.length;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => this.#round(), delayMs);
    this.#timer.unref();
  }

  #round(): void {
    this.#running = this.runOnce();
    this.#running.then(
      (embedded) => {
        if (this.#failing) this.#logger?.info('embedding memories works again');
        this.#failing = false;
        // A full batch means more are waiting: go on at once.
        this.#schedule(embedded === this.#batchSize ? 0 : this.#idleMs);
      },
      (error: unknown) => {
        // Once per outage, not once per round.
        if (!this.#failing) this.#logger?.warn({ err: error }, 'embedding memories failed');
        this.#failing = true;
        this.#schedule(this.#retryMs);
      },
    );
  }
}
