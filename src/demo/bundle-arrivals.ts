import type { ContextBundle } from '../protocol/context-bundle.js';

/** Bundles remembered; the demo sends a handful of events, this only bounds a long run. */
const MAX_REMEMBERED = 1000;

/**
 * When each pushed bundle reached the client, by the event it answers: fed from
 * `client.instance.listen({ onBundle })`, which runs in the same tick the bundle enters
 * the anticipation cache, so the time is the moment it became readable.
 */
export class BundleArrivals {
  readonly #byEvent = new Map<string, { bundle: ContextBundle; at: number }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Pass as `onBundle`. */
  readonly arrived = (bundle: ContextBundle): void => {
    const eventId = bundle.inReplyToEventId;
    if (eventId === undefined || eventId === '') return;
    this.#byEvent.set(eventId, { bundle, at: this.#now() });
    if (this.#byEvent.size > MAX_REMEMBERED) {
      const oldest = this.#byEvent.keys().next();
      if (!oldest.done) this.#byEvent.delete(oldest.value);
    }
  };

  /** The bundle answering `eventId` and when it arrived, if it has. */
  get(eventId: string): { bundle: ContextBundle; at: number } | undefined {
    return this.#byEvent.get(eventId);
  }
}
