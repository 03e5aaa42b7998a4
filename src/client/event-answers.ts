import type { ContextBundle } from '../protocol/context-bundle.js';
import type { WaitForResult } from './types.js';

export interface AnticipationWaitOptions {
  conversationId: string;
  /** The event id `sendMessage` answered (and `expectEvent` recorded). */
  afterEvent: string;
  /** Bound on the wait, in ms; the result is `{ status: 'timeout' }` after it. */
  timeoutMs: number;
  /** Aborting ends the wait with `{ status: 'timeout' }`. */
  signal?: AbortSignal;
}

interface Waiter {
  resolve(result: WaitForResult): void;
  timer: NodeJS.Timeout;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** Events awaiting an answer (`expect`), oldest forgotten first. */
export const MAX_PENDING_EVENTS = 1000;
/** Answered events remembered, so a wait that starts late resolves at once. */
export const MAX_ANSWERED_EVENTS = 256;
/** Concurrent waits; more are answered `timeout` at once (fail-open). */
export const MAX_WAITERS = 1000;
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Which bundle answers which sent event, and who waits for it: the `waitFor` half of
 * the {@link AnticipationCache}. A bundle answers the event it echoes
 * (`inReplyToEventId`); from a service that does not echo ids, it answers every event
 * of its conversation expected before it came. All bounded; waits never reject.
 */
export class EventAnswers {
  /** Event id → conversation id, in send order. */
  readonly #pending = new Map<string, string>();
  readonly #answered = new Map<string, ContextBundle>();
  readonly #waiters = new Map<string, Waiter[]>();
  #waiting = 0;
  #refused = 0;
  #closed = false;
  /** Once a bundle carried `inReplyToEventId`, the service echoes ids: stop guessing. */
  #serviceEchoes = false;

  /** Pending waits. */
  get waiting(): number {
    return this.#waiting;
  }

  /** Waits answered `timeout` at once because {@link MAX_WAITERS} were pending. */
  get refused(): number {
    return this.#refused;
  }

  /** Records an event sent now; ignored when already known. */
  expect(conversationId: string, eventId: string): void {
    if (this.#closed || this.#answered.has(eventId) || this.#pending.has(eventId)) return;
    this.#pending.set(eventId, conversationId);
    if (this.#pending.size > MAX_PENDING_EVENTS) forgetOldest(this.#pending);
  }

  /** Resolves the waits this bundle answers; returns the (latest) event id it answers. */
  answer(bundle: ContextBundle): string | undefined {
    const echoed = bundle.inReplyToEventId;
    if (echoed !== undefined && echoed !== '') {
      this.#serviceEchoes = true;
      this.#pending.delete(echoed);
      this.#remember(echoed, bundle);
      return echoed;
    }
    // Without an echo, a later bundle is the best evidence there is. An echoing service
    // sends id-less bundles only unprompted (summaries, compactions): they answer nothing.
    const conversationId = bundle.anticipationConversationId;
    if (this.#serviceEchoes || conversationId === '') return undefined;
    let latest: string | undefined;
    for (const [eventId, conversation] of this.#pending) {
      if (conversation !== conversationId) continue;
      this.#pending.delete(eventId);
      this.#remember(eventId, bundle);
      latest = eventId;
    }
    return latest;
  }

  /** See `AnticipationCache.waitFor`. */
  wait(options: AnticipationWaitOptions): Promise<WaitForResult> {
    if (this.#closed) return Promise.resolve({ status: 'closed' });
    const answer = this.#answered.get(options.afterEvent);
    if (answer !== undefined) return Promise.resolve({ status: 'ready', bundle: answer });
    const timeoutMs = Math.min(options.timeoutMs, MAX_TIMER_MS);
    if (options.signal?.aborted || !(timeoutMs > 0)) return Promise.resolve({ status: 'timeout' });
    if (this.#waiting >= MAX_WAITERS) {
      this.#refused++;
      return Promise.resolve({ status: 'timeout' });
    }
    const eventId = options.afterEvent;
    this.expect(options.conversationId, eventId);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        signal: options.signal,
        onAbort: () => this.#settle(eventId, waiter, { status: 'timeout' }),
        timer: setTimeout(() => this.#settle(eventId, waiter, { status: 'timeout' }), timeoutMs),
      };
      // Ref'd on purpose: the caller awaits this promise (a model call, on the adapters'
      // path), and an unref'd timer never fires once nothing else holds the process, so
      // the wait would never settle. It lasts at most `timeoutMs` and is cleared on answer.
      waiter.signal?.addEventListener('abort', waiter.onAbort, { once: true });
      const list = this.#waiters.get(eventId);
      if (list === undefined) this.#waiters.set(eventId, [waiter]);
      else list.push(waiter);
      this.#waiting++;
    });
  }

  /** Forgets answers (and which service kind this is); pending events and waits stay. */
  clearAnswers(): void {
    this.#answered.clear();
    this.#serviceEchoes = false;
  }

  /** Answers every wait `closed` and every later one too. Idempotent. */
  close(): void {
    this.#closed = true;
    for (const [eventId, list] of this.#waiters) {
      for (const waiter of [...list]) this.#settle(eventId, waiter, { status: 'closed' });
    }
    this.#pending.clear();
    this.clearAnswers();
  }

  #remember(eventId: string, bundle: ContextBundle): void {
    // Delete first so a re-answered event counts as the newest.
    this.#answered.delete(eventId);
    this.#answered.set(eventId, bundle);
    if (this.#answered.size > MAX_ANSWERED_EVENTS) forgetOldest(this.#answered);
    const list = this.#waiters.get(eventId);
    if (list === undefined) return;
    for (const waiter of [...list]) this.#settle(eventId, waiter, { status: 'ready', bundle });
  }

  #settle(eventId: string, waiter: Waiter, result: WaitForResult): void {
    const list = this.#waiters.get(eventId);
    const at = list?.indexOf(waiter) ?? -1;
    if (list === undefined || at === -1) return;
    list.splice(at, 1);
    if (list.length === 0) this.#waiters.delete(eventId);
    this.#waiting--;
    clearTimeout(waiter.timer);
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.resolve(result);
  }
}

function forgetOldest(map: Map<string, unknown>): void {
  const oldest = map.keys().next();
  if (oldest.done !== true) map.delete(oldest.value);
}
