import type { ContextBundle } from '../protocol/context-bundle.js';

/**
 * The seam between the server and whatever predicts context: the baseline here,
 * the memory engine later. The server hands over one validated event and pushes
 * back the bundle it gets; it never looks inside.
 */
export interface Anticipator {
  anticipate(clientId: string, event: AnticipationEvent): Promise<ContextBundle>;
  /** The client reported using items of a bundle of this user: what was learned changed. */
  usageRecorded?(clientId: string, owner: { userId: string; customerId: string }): void;
}

/** What an anticipator is told about an event (a subset of the server's event form). */
export interface AnticipationEvent {
  /** Echoed as the bundle's `inReplyToEventId`. */
  eventId: string;
  eventType: string;
  conversationId: string;
  userId: string;
  customerId: string;
  role: string;
  content: string;
  toolName: string;
  toolArgs: Record<string, unknown> | null;
  searchQueries: string[];
  /** Memory types to restrict retrieval to; [] (or `all`) means every type. */
  contextTypes: string[];
}
