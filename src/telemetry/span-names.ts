/**
 * Span and attribute names. GenAI semantic-convention names where one exists
 * (`gen_ai.conversation.id`, `gen_ai.tool.name`, `gen_ai.tool.call.id`); Foresight's own
 * under `foresight.`. Like the logs, spans carry ids, types, counts and times, never
 * message content, tool arguments or keys.
 */
export const SPAN = {
  /** Adapter: the context one model call read (and waited for). */
  modelCall: 'foresight.model_call',
  /** Client: one event sent on the stream (PRODUCER); its context travels in the event. */
  eventSend: 'foresight.event.send',
  /** Server: one event received and handled (CONSUMER), child of the sender's span. */
  event: 'foresight.event',
  /** Server: the retrieval that built the event's bundle. */
  retrieval: 'foresight.retrieval',
  /** Server: the bundle handed to the event's stream. */
  bundlePush: 'foresight.bundle.push',
  /** Server: turns recorded over REST. */
  record: 'foresight.record',
  /** Server: a background extraction job. */
  extraction: 'foresight.extraction',
} as const;

export const ATTRIBUTE = {
  conversationId: 'gen_ai.conversation.id',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  eventType: 'foresight.event.type',
  eventId: 'foresight.event.id',
  transport: 'foresight.transport',
  bundleId: 'foresight.bundle.id',
  bundleItems: 'foresight.bundle.items',
  bundleTokens: 'foresight.bundle.tokens',
  retrievalMs: 'foresight.retrieval.duration_ms',
  contextInjected: 'foresight.context.injected',
  contextSource: 'foresight.context.source',
  contextWaitMs: 'foresight.context.wait_ms',
  contextStaleMs: 'foresight.context.stale_ms',
  anticipation: 'foresight.context.anticipation',
  messages: 'foresight.record.messages',
  memories: 'foresight.extraction.memories',
  jobKind: 'foresight.job.kind',
} as const;
