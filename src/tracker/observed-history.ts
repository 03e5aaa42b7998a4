import { stripContext } from './context-block.js';
import { messageText, type TrackedMessage } from './message-fingerprint.js';

/** Where the new part of a history starts: its first message's index and turn position. */
export interface HistoryMark {
  index: number;
  position: number;
}

/** One conversation's history as last observed, message by message. */
interface History {
  roles: string[];
  ids: (string | undefined)[];
  /** A turn's text as given (before context is stripped); '' for other messages. */
  texts: string[];
  /** Turn positions used up to and including each message. */
  positions: number[];
}

/**
 * What each conversation's history looked like when last observed, so a re-sent history
 * is recognised by comparing its messages' texts, which an agent loop hands over as the
 * same strings every step (a reference comparison), instead of being fingerprinted
 * (content hashes and key strings) on every model call. Only the new tail of a history
 * is fingerprinted; a history changed anywhere before it (trimmed, edited) is read from
 * the first change on. Bounded by conversations, oldest out first.
 */
export class ObservedHistories {
  readonly #histories = new Map<string, History>();
  readonly #maxConversations: number;

  constructor(maxConversations: number) {
    this.#maxConversations = maxConversations;
  }

  /** How far `messages` repeats the history observed last for the conversation. */
  knownUntil(conversationId: string, messages: readonly TrackedMessage[]): HistoryMark {
    const history = this.#histories.get(conversationId);
    if (history === undefined) return { index: 0, position: 0 };
    const { roles, ids, texts, positions } = history;
    const length = Math.min(messages.length, texts.length);
    let index = 0;
    for (; index < length; index++) {
      const message = messages[index] as TrackedMessage;
      if (message.role !== roles[index] || message.id !== ids[index]) break;
      // Only turns are fingerprinted: a system prompt may change every call (the
      // injected context does) without making the turns after it new.
      if (isTurn(message.role) && messageText(message.content) !== texts[index]) break;
    }
    return { index, position: index === 0 ? 0 : (positions[index - 1] as number) };
  }

  /** Notes `messages` as observed; those before `mark` are the ones already noted. */
  remember(conversationId: string, messages: readonly TrackedMessage[], mark: HistoryMark): void {
    // A history that only repeats what was seen (a call re-sent, or the prompt before the
    // reply that was recorded with it) leaves the longer one noted: its tail stays known.
    if (mark.index === messages.length && mark.index > 0) return;
    let history = this.#histories.get(conversationId);
    if (history === undefined) {
      history = { roles: [], ids: [], texts: [], positions: [] };
    } else {
      // Re-inserted: the Map's order is then least recently observed first.
      this.#histories.delete(conversationId);
    }
    this.#histories.set(conversationId, history);
    if (this.#histories.size > this.#maxConversations) {
      const oldest = this.#histories.keys().next();
      if (!oldest.done) this.#histories.delete(oldest.value);
    }
    const { roles, ids, texts, positions } = history;
    for (const list of [roles, ids, texts, positions]) list.length = mark.index;
    let position = mark.position;
    for (let index = mark.index; index < messages.length; index++) {
      const message = messages[index] as TrackedMessage;
      const text = isTurn(message.role) ? messageText(message.content) : '';
      // Counted as `fingerprintMessages` counts positions: turns that have text.
      if (text !== '' && stripContext(text).trim() !== '') position++;
      roles.push(message.role);
      ids.push(message.id);
      texts.push(text);
      positions.push(position);
    }
  }

  /** Forgets a conversation: its next history is fingerprinted whole. */
  forget(conversationId: string): void {
    this.#histories.delete(conversationId);
  }
}

function isTurn(role: string): boolean {
  return role === 'user' || role === 'assistant';
}
