import { createHash } from 'node:crypto';
import { stripContext } from './context-block.js';

/**
 * A chat message as frameworks hand them over: a role, and content that is either text
 * or a list of parts (`{ type: 'text', text }`, tool calls, images...). Only text parts
 * are recorded.
 */
export interface TrackedMessage {
  /** `user` and `assistant` are recorded; `system`, `tool` and others are skipped. */
  role: string;
  content: unknown;
  /** A framework's stable message id; when given, it is the dedupe key in memory. */
  id?: string;
}

/** One user or assistant message, ready to record, with the keys that dedupe it. */
export interface MessageFingerprint {
  role: 'user' | 'assistant';
  /** The message's text, with any injected context block removed. */
  text: string;
  /** Index among the history's user and assistant messages that have text. */
  position: number;
  /** True when no user or assistant message follows it: the turn in progress. */
  endsHistory: boolean;
  /** The in-memory key: by message id when given, else by position and content hash. */
  key: string;
  /** Also the in-memory key, by position and hash, so id and no-id copies match. */
  positionKey: string;
  /** Stable across processes: the service stores one message a key. */
  idempotencyKey: string;
}

/**
 * The text of a message's content: a string as is; of a part list, the `text` of its
 * text parts joined by newlines. Anything else is ''.
 */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  // The one-text-part message, the common case, answers its part's own string: no join,
  // and a re-sent message compares by reference (`ObservedHistories`).
  let single: string | undefined;
  let texts: string[] | undefined;
  for (const part of content) {
    if (typeof part !== 'object' || part === null) continue;
    const { type, text } = part as { type?: unknown; text?: unknown };
    if (type !== 'text' || typeof text !== 'string') continue;
    if (single === undefined) single = text;
    else if (texts === undefined) texts = [single, text];
    else texts.push(text);
  }
  return texts !== undefined ? texts.join('\n') : (single ?? '');
}

// Texts up to this long are remembered by `memoizedContentHash`; longer ones rehashed.
const MAX_MEMOIZED_CHARS = 4096;

/** 32 hex digits of SHA-256 over role and text: enough to tell turns apart, short for keys. */
export function contentHash(role: string, text: string): string {
  return createHash('sha256').update(role).update('\n').update(text).digest('hex').slice(0, 32);
}

/**
 * `contentHash`, remembering the last `max` answers. An agent loop re-sends the same
 * history on every model call, and an adapter fingerprints it twice a call (the prompt,
 * then the prompt and the answer): a lookup costs a fraction of a SHA-256 (measured: the
 * hashes were about a third of the AI SDK middleware's per-call time).
 */
export function memoizedContentHash(max: number): (role: string, text: string) => string {
  // A plain Map emptied when full, not an LRU: a lookup is the hot path, and an LRU's
  // recency bookkeeping cost as much as the rest of the lookup; the live history is
  // hashed again on its next call after a clear.
  const hashes = new Map<string, string>();
  return (role, text) => {
    // Capped by count, so by size too: a long text is hashed afresh each time (its
    // hash is no dearer than the key it would need) instead of held as a key.
    if (text.length > MAX_MEMOIZED_CHARS) return contentHash(role, text);
    const key = `${role}\n${text}`;
    let hash = hashes.get(key);
    if (hash === undefined) {
      hash = contentHash(role, text);
      if (hashes.size >= max) hashes.clear();
      hashes.set(key, hash);
    }
    return hash;
  };
}

/**
 * Fingerprints the user and assistant messages of a history that have text, in order.
 * Positions count only those, so what comes and goes between re-sends does not shift
 * them: a system prompt, tool messages, an assistant turn that only called tools (which
 * `ai@7` leaves out of `response.messages`, and a full history keeps).
 *
 * A history trimmed from the front (a sliding window) shifts positions: without message
 * ids, its turns then look new to a fresh process.
 *
 * `from` starts at a message index with the turn position reached there, for a history
 * whose head was fingerprinted before (`ObservedHistories`).
 */
export function fingerprintMessages(
  conversationId: string,
  messages: readonly TrackedMessage[],
  hashOf: (role: string, text: string) => string = contentHash,
  from: { index: number; position: number } = { index: 0, position: 0 },
): MessageFingerprint[] {
  const fingerprints: MessageFingerprint[] = [];
  const last = messages.findLastIndex((message) => isTurn(message.role));
  let position = from.position;
  for (let index = from.index; index < messages.length; index++) {
    const message = messages[index] as TrackedMessage;
    const { role } = message;
    if (!isTurn(role)) continue;
    const text = stripContext(messageText(message.content)).trim();
    if (text === '') continue;
    const at = position++;
    const hash = hashOf(role, text);
    const positionKey = `${conversationId}:${at}:${hash}`;
    fingerprints.push({
      role,
      text,
      position: at,
      endsHistory: index === last,
      key: message.id ? `${conversationId}:id:${message.id}` : positionKey,
      positionKey,
      // Conversation, position and hash: a restarted process derives the same key.
      idempotencyKey: `fs1:${conversationId}:${at}:${hash}`,
    });
  }
  return fingerprints;
}

function isTurn(role: string): role is 'user' | 'assistant' {
  return role === 'user' || role === 'assistant';
}
