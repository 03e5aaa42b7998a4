import type { ConversationContext } from '../protocol/context-bundle.js';
import { toKeyExtractions } from '../protocol/key-extractions.js';
import type { CompactionRecord, MessageRecord } from '../store/records.js';
import type { AnticipationEvent } from './anticipator.js';

/** What the store holds about the conversation an event belongs to. */
export interface ConversationState {
  /** Oldest first. */
  turns: MessageRecord[];
  /** The latest completed compaction, if any. */
  compaction: CompactionRecord | null;
}

const MAX_TURN_CHARS = 2000;

/**
 * The bundle's view of the conversation: its latest turns (oldest first, each capped)
 * and, once it was compacted, the compaction's summary, state and extractions.
 */
export function buildConversationContext(
  event: Pick<AnticipationEvent, 'conversationId' | 'eventType' | 'toolName'>,
  state: ConversationState | null,
): ConversationContext {
  const compaction = state?.compaction ?? null;
  // JSON.stringify output always parses: the client kills its stream on a bad one.
  const currentState = {
    ...(compaction?.currentState ?? {}),
    last_event_type: event.eventType,
    ...(event.toolName ? { active_tool: event.toolName } : {}),
  };
  const context: ConversationContext = {
    currentStateJson: JSON.stringify(currentState),
    // Entries as objects: the Python client drops a bundle whose entries are strings.
    keyExtractionsJson: compaction ? JSON.stringify(toKeyExtractions(compaction)) : '',
    recentTurns: (state?.turns ?? []).map((turn) => ({
      role: turn.role,
      content:
        turn.content.length > MAX_TURN_CHARS
          ? `${turn.content.slice(0, MAX_TURN_CHARS - 1)}…`
          : turn.content,
      timestamp: turn.recordedAt.toISOString(),
    })),
    conversationId: event.conversationId,
  };
  if (compaction) {
    if (compaction.summary) context.summary = compaction.summary;
    context.compactionId = compaction.id;
    if (compaction.completedAt) context.compactedAt = compaction.completedAt.toISOString();
  }
  return context;
}
