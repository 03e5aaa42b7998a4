import { toKeyExtractions } from '../../../protocol/key-extractions.js';
import type { Store } from '../../../store/store.js';

const RECENT_TURNS = 6;

/**
 * The session context of a conversation in its JSON wire form: the latest completed
 * compaction (summary, state, extractions) and the most recent turns.
 */
export async function conversationContextJson(
  store: Store,
  clientId: string,
  conversationId: string,
): Promise<Record<string, unknown>> {
  const [compaction, recent] = await Promise.all([
    store.latestCompaction(clientId, conversationId, { status: 'completed' }),
    store.listMessages(clientId, conversationId, { newestFirst: true, limit: RECENT_TURNS }),
  ]);
  const currentState = compaction?.currentState ?? {};
  // Every value a list of objects: Synap's Python client refuses lists of strings here.
  const keyExtractions = compaction ? toKeyExtractions(compaction) : {};
  const context: Record<string, unknown> = {
    conversation_id: conversationId,
    summary: compaction?.summary ?? '',
    current_state: currentState,
    key_extractions: keyExtractions,
    // The same as JSON text, as in a bundle: what Synap's TypeScript adapter parses.
    current_state_json: JSON.stringify(currentState),
    key_extractions_json: compaction ? JSON.stringify(keyExtractions) : '',
    recent_turns: recent.reverse().map((message) => ({
      role: message.role,
      content: message.content,
      timestamp: message.recordedAt.toISOString(),
    })),
  };
  if (compaction) {
    context.compaction_id = compaction.id;
    if (compaction.completedAt) context.compacted_at = compaction.completedAt.toISOString();
  }
  return context;
}
