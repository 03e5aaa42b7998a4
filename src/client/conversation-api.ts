import { SynapError } from './errors.js';
import type { CallOptions, HttpClient } from './http-client.js';
import {
  compactSchema,
  conversationIdSchema,
  ingestSchema,
  recordMessageSchema,
  recordMessagesSchema,
  validateInput,
} from './input-schemas.js';
import type {
  BatchRecordResult,
  CompactedContext,
  CompactInput,
  CompactionStatus,
  IngestInput,
  IngestResult,
  PromptContext,
  RecordedMessage,
  RecordMessageInput,
} from './types.js';
import {
  batchResultFromWire,
  compactedFromWire,
  compactionStatusFromWire,
  compactToWire,
  ingestResultFromWire,
  ingestToWire,
  promptContextFromWire,
  recordedMessageFromWire,
  recordMessagesToWire,
  recordMessageToWire,
} from './wire-mapping.js';

/**
 * Recording and compaction over REST (`client.conversation`). Every method validates
 * its input first: a bad argument throws `InvalidInputError` (or
 * `InvalidConversationIdError`) naming the field, and nothing is sent. Failures of
 * the service throw the Synap errors of error-mapping.ts; nothing is retried here.
 */
export class ConversationApi {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * Records one turn. With `idempotencyKey`, a retry of the same key answers the
   * first message instead of storing a second one.
   */
  async recordMessage(input: RecordMessageInput, options?: CallOptions): Promise<RecordedMessage> {
    const valid = validateInput(recordMessageSchema, input);
    const body = await this.#http.request('POST', '/v1/conversations/messages', {
      ...options,
      body: recordMessageToWire(valid),
      ...(valid.idempotencyKey !== undefined
        ? { headers: { 'idempotency-key': valid.idempotencyKey } }
        : {}),
    });
    return recordedMessageFromWire(body);
  }

  /**
   * Records 1 to 500 turns in one request. Each row succeeds or fails on its own
   * (`results`, in input order); each row's `idempotencyKey` dedupes that row.
   */
  async recordMessages(
    inputs: RecordMessageInput[],
    options?: CallOptions,
  ): Promise<BatchRecordResult> {
    const valid = validateInput(recordMessagesSchema, inputs, 'inputs');
    const body = await this.#http.request('POST', '/v1/conversations/messages/batch', {
      ...options,
      body: recordMessagesToWire(valid),
    });
    return batchResultFromWire(body);
  }

  /**
   * Records a whole transcript at once, then compacts it in the background. The same
   * transcript again answers `status: 'duplicate'`; another transcript under the same
   * conversation id throws `ConflictError`.
   */
  async ingest(input: IngestInput, options?: CallOptions): Promise<IngestResult> {
    const valid = validateInput(ingestSchema, input);
    const body = await this.#http.request('POST', '/v1/conversations/ingest', {
      ...options,
      body: ingestToWire(valid),
    });
    return ingestResultFromWire(body);
  }

  /**
   * Starts a compaction (summary, facts, decisions) of a conversation; poll
   * `compactionStatus` until `completed`. Throws `ConflictError` while one is running.
   */
  async compact(input: CompactInput, options?: CallOptions): Promise<CompactionStatus> {
    const valid = validateInput(compactSchema, input);
    const body = await this.#http.request('POST', '/v1/conversations/compact', {
      ...options,
      body: compactToWire(valid),
    });
    return compactionStatusFromWire(body);
  }

  /** The latest completed compaction, or `null` when there is none yet. */
  async getCompacted(
    conversationId: string,
    options?: CallOptions,
  ): Promise<CompactedContext | null> {
    try {
      const body = await this.#get(conversationId, 'compacted', options);
      return compactedFromWire(body);
    } catch (error) {
      // 404 is the normal "not compacted yet" answer, not a failure.
      if (SynapError.isInstance(error) && error.code === 'context_not_found') return null;
      throw error;
    }
  }

  /** Where the latest compaction stands; `status: 'none'` before the first one. */
  async compactionStatus(conversationId: string, options?: CallOptions): Promise<CompactionStatus> {
    return compactionStatusFromWire(await this.#get(conversationId, 'compaction/status', options));
  }

  /** The compacted context plus the turns since, ready to put into a prompt. */
  async contextForPrompt(conversationId: string, options?: CallOptions): Promise<PromptContext> {
    return promptContextFromWire(await this.#get(conversationId, 'context-for-prompt', options));
  }

  #get(conversationId: string, resource: string, options?: CallOptions): Promise<unknown> {
    const valid = validateInput(conversationIdSchema, conversationId, 'conversationId');
    return this.#http.request('GET', `/v1/conversations/${encodeURIComponent(valid)}/${resource}`, {
      ...options,
    });
  }
}
