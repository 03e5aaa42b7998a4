import type { ForesightLogger } from '../client/logger.js';
import type { StreamStatus } from '../client/types.js';

/** Whether the context service is serving an adapter's calls: see {@link ServiceHealth}. */
export type ServiceStatus = 'ok' | 'degraded';

/**
 * Why an adapter reports `degraded`, checked in this order:
 * - `stream`: the client is listening but its event stream is `reconnecting` or `degraded`;
 * - `record`: the latest call recording turns failed (the service did not answer);
 * - `event`: the latest event (user turn, tool call, tool result) could not be sent;
 * - `context`: the latest model call that waited for an in-flight bundle went on without it.
 */
export type DegradedReason = 'stream' | 'record' | 'event' | 'context';

/** The service calls whose latest outcome counts towards the status. */
export type HealthKind = 'record' | 'event' | 'context';

/**
 * The status an adapter reports, kept from the latest outcome of each kind of service
 * call and the client's stream status: `degraded` while any of them is failing (see
 * {@link DegradedReason}), `ok` again once each has succeeded since. A kind never tried
 * counts as ok. Each transition is logged once, when it happens (not once per call).
 */
export class ServiceHealth {
  readonly #logger: ForesightLogger;
  readonly #streamStatus: () => StreamStatus;
  readonly #failing = { record: false, event: false, context: false };
  #reason: DegradedReason | undefined;

  constructor(options: { logger: ForesightLogger; streamStatus: () => StreamStatus }) {
    this.#logger = options.logger;
    this.#streamStatus = options.streamStatus;
  }

  /** Notes the outcome of a service call of `kind`; logs a change of status. */
  outcome(kind: HealthKind, ok: boolean): void {
    this.#failing[kind] = !ok;
    this.check();
  }

  /**
   * The status now, the stream's included; logs a change of status. Cheap (a few field
   * reads), so adapters call it on every model call: the stream's status has no event
   * the tracker could listen to without taking the user's `onStatus`.
   */
  check(): { status: ServiceStatus; reason?: DegradedReason } {
    const reason = this.#currentReason();
    if (reason !== this.#reason) this.#transition(this.#reason, reason);
    return reason === undefined ? { status: 'ok' } : { status: 'degraded', reason };
  }

  #currentReason(): DegradedReason | undefined {
    const stream = this.#streamStatus();
    if (stream === 'reconnecting' || stream === 'degraded') return 'stream';
    if (this.#failing.record) return 'record';
    if (this.#failing.event) return 'event';
    if (this.#failing.context) return 'context';
    return undefined;
  }

  #transition(from: DegradedReason | undefined, to: DegradedReason | undefined): void {
    this.#reason = to;
    // A change of reason while degraded is not news: only the edges are logged.
    if (from !== undefined && to !== undefined) return;
    if (to !== undefined) {
      this.#logger.warn(
        { status: 'degraded', reason: to },
        `foresight: degraded (${DESCRIPTIONS[to]}); model calls go on without fresh context`,
      );
    } else {
      this.#logger.warn(
        { status: 'ok' },
        'foresight: ok again; the context service answers and context is fresh',
      );
    }
  }
}

const DESCRIPTIONS: Record<DegradedReason, string> = {
  stream: 'the event stream is reconnecting',
  record: 'recording turns failed',
  event: 'sending an event failed',
  context: 'a context wait timed out',
};
