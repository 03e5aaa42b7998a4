import type { ForesightClient } from '../client/create-client.js';
import type { ContextBundle } from '../protocol/context-bundle.js';
import { within } from './bounded-wait.js';
import type { ResolvedIdentity } from './conversation-identity.js';

/** The context for one model call, as `ConversationTracker.contextForCall` answers it. */
export interface CallContext {
  /** The block for the system prompt (`formatContext`), or '' when there is none. */
  block: string;
  /** The bundle the block came from. */
  bundleId?: string;
  /** How long ago the bundle arrived, ms. */
  staleMs?: number;
  /** Time spent waiting for an in-flight bundle, ms; 0 when none was awaited. */
  waitedMs: number;
  /** `cache`: read at once; `waited`: arrived during the bounded wait; `none`: no bundle. */
  source: 'cache' | 'waited' | 'none';
  /**
   * What became of the bundle answering the last event the tracker sent (a tool call, a
   * user turn), when the call still expected it: `cached`, in the cache when the call
   * started (anticipated in time; later calls before the next event say so too);
   * `arrived` during the wait; `missed`, not within `awaitContextMs` (or the event could
   * not be sent), so the call went on with an older bundle, or none. Unset when there was
   * no such event, or an earlier call already waited for it in vain.
   */
  anticipation?: 'cached' | 'arrived' | 'missed';
}

/** The latest event the tracker sent for a conversation, and whether it was waited on. */
export interface LastEvent {
  /** Resolves with the event id once sent, `undefined` when sending failed. */
  sent: Promise<string | undefined>;
  eventId?: string;
  /** Set once a call waited for (or found) this event's bundle: no second wait. */
  settled: boolean;
}

/** What `readCallContext` reads with. */
interface ReadOptions {
  client: ForesightClient;
  identity: ResolvedIdentity;
  lastEvent: LastEvent | undefined;
  awaitMs: number;
  format: (bundle: ContextBundle) => string;
  now: () => number;
}

/**
 * Reads the freshest bundle from the client's cache (synchronous, no network). When the
 * last event's answer is not there yet, waits for it at most `awaitMs`, once per event,
 * then goes on with what the cache holds. Answers a promise only when it waits: the
 * common path (the bundle is there) costs no promise at all.
 */
export function readCallContext(options: ReadOptions): CallContext | Promise<CallContext> {
  const { client, identity, lastEvent, awaitMs, format, now } = options;
  const key = keyOf(identity);
  const cached = client.context.peek(key);
  const answered =
    lastEvent?.eventId !== undefined && cached?.inReplyToEventId === lastEvent.eventId;
  if (lastEvent !== undefined && answered) lastEvent.settled = true;
  let missed = false;
  if (lastEvent !== undefined && !lastEvent.settled) {
    lastEvent.settled = true;
    // A stream that is down brings no bundle back: waiting would only slow the call.
    if (awaitMs > 0 && !streamDown(client)) return waitThenRead(options, lastEvent, now());
    missed = awaitMs > 0;
  }
  if (cached === undefined) {
    return missed
      ? { block: '', waitedMs: 0, source: 'none', anticipation: 'missed' }
      : { block: '', waitedMs: 0, source: 'none' };
  }
  const context = fromCache(cached.bundle, cached.receivedAt, 0, format, now);
  if (answered) return { ...context, anticipation: 'cached' };
  return missed ? { ...context, anticipation: 'missed' } : context;
}

/** The stream lost its connection (`reconnecting`, `degraded`): a bundle cannot come back on it. */
function streamDown(client: ForesightClient): boolean {
  const status = client.instance.status;
  return status === 'reconnecting' || status === 'degraded';
}

function keyOf(identity: ResolvedIdentity) {
  return {
    conversationId: identity.conversationId,
    userId: identity.userId,
    ...(identity.customerId !== undefined ? { customerId: identity.customerId } : {}),
  };
}

/** The bounded wait for the last event's bundle, then the read. */
async function waitThenRead(
  options: ReadOptions,
  lastEvent: LastEvent,
  started: number,
): Promise<CallContext> {
  const { client, identity, awaitMs, format, now } = options;
  const key = keyOf(identity);
  const bundle = await waitForAnswer(client, identity.conversationId, lastEvent, awaitMs, now);
  const waitedMs = Math.max(0, now() - started);
  const cached = client.context.peek(key);
  if (bundle !== undefined) {
    const sameBundle = cached?.bundle.bundleId === bundle.bundleId;
    return {
      block: format(bundle),
      bundleId: bundle.bundleId,
      staleMs: sameBundle && cached ? Math.max(0, now() - cached.receivedAt) : 0,
      waitedMs,
      source: 'waited',
      anticipation: 'arrived',
    };
  }
  if (cached === undefined) return { block: '', waitedMs, source: 'none', anticipation: 'missed' };
  return {
    ...fromCache(cached.bundle, cached.receivedAt, waitedMs, format, now),
    anticipation: 'missed',
  };
}

function fromCache(
  bundle: ContextBundle,
  receivedAt: number,
  waitedMs: number,
  format: (bundle: ContextBundle) => string,
  now: () => number,
): CallContext {
  return {
    block: format(bundle),
    bundleId: bundle.bundleId,
    staleMs: Math.max(0, now() - receivedAt),
    waitedMs,
    source: 'cache',
  };
}

/** The bundle answering the event, within `awaitMs` from now; the send itself counts too. */
async function waitForAnswer(
  client: ForesightClient,
  conversationId: string,
  lastEvent: LastEvent,
  awaitMs: number,
  now: () => number,
): Promise<ContextBundle | undefined> {
  const deadline = now() + awaitMs;
  const eventId = lastEvent.eventId ?? (await within(lastEvent.sent, awaitMs));
  const remaining = deadline - now();
  if (eventId === undefined || remaining <= 0) return undefined;
  const result = await client.context.waitFor({
    conversationId,
    afterEvent: eventId,
    timeoutMs: remaining,
  });
  return result.status === 'ready' ? result.bundle : undefined;
}
