/**
 * The event path shared by the Listen stream and the HTTP fallback: validation,
 * recording, anticipation, and the hub that wakes long-polls.
 */
export {
  BundleHub,
  type BundleHubOptions,
  type BundleNotice,
  type HubSubscription,
  type WaitOutcome,
} from './bundle-hub.js';
export {
  type ConversationEventInput,
  conversationEventSchema,
  EVENT_LIMITS,
  parseConversationEvent,
  RETRIEVAL_EVENT_TYPES,
} from './conversation-event.js';
export { EventAdmission } from './event-admission.js';
export {
  EventProcessor,
  type EventProcessorOptions,
  type EventTransport,
  type HandledEvent,
  type SessionControlWire,
} from './event-processor.js';
export {
  createHttpEventPath,
  type HttpEventPath,
  type HttpEventPathOptions,
  type NextBundlesQuery,
  type NextBundlesResult,
} from './http-event-path.js';
