import type { ForesightLogger } from '../client/logger.js';
import type { CallContext } from './call-context.js';
import type { ServiceHealth } from './service-health.js';

/** What model calls got from the cache, counted since the tracker was made. */
export interface ContextCallCounts {
  /** Model calls that read context (`contextForCall`). */
  modelCalls: number;
  /** Model calls that went on with no context block at all (nothing cached, nothing arrived). */
  callsWithoutContext: number;
  /** Model calls that waited for an in-flight bundle. */
  contextWaits: number;
  /** Waits that ended without the bundle (not within `awaitContextMs`, or its event failed). */
  contextTimeouts: number;
}

/**
 * The tracker's account of each model call's context: counts it, tells the service's
 * health how the wait for an anticipated bundle went, and reports it to the logger's
 * `debug` and the adapter's `onContext` hook.
 */
export class ContextCalls {
  readonly #health: ServiceHealth;
  readonly #logger: ForesightLogger;
  /** Runs a report fail-open (the tracker's `guard`): a throwing hook never reaches the call. */
  readonly #guard: (run: () => void) => void;
  readonly #counts: ContextCallCounts = {
    modelCalls: 0,
    callsWithoutContext: 0,
    contextWaits: 0,
    contextTimeouts: 0,
  };

  constructor(options: {
    health: ServiceHealth;
    logger: ForesightLogger;
    guard: (run: () => void) => void;
  }) {
    this.#health = options.health;
    this.#logger = options.logger;
    this.#guard = options.guard;
  }

  /** A copy of the counts. */
  get counts(): ContextCallCounts {
    return { ...this.#counts };
  }

  /** Counts what a call got and reports it; `onContext` is the adapter's hook, if any. */
  note(context: CallContext, onContext: ((context: CallContext) => void) | undefined): void {
    const counts = this.#counts;
    counts.modelCalls++;
    if (context.block === '') counts.callsWithoutContext++;
    const { anticipation } = context;
    if (anticipation === 'arrived' || anticipation === 'missed') counts.contextWaits++;
    if (anticipation === 'missed') counts.contextTimeouts++;
    // No wait outcome: still a chance to notice the stream's status on every call.
    if (anticipation === undefined) this.#health.check();
    else this.#health.outcome('context', anticipation !== 'missed');
    const { debug } = this.#logger;
    if (debug !== undefined) this.#guard(() => this.#debug(debug, context));
    if (onContext !== undefined) this.#guard(() => onContext(context));
  }

  #debug(debug: NonNullable<ForesightLogger['debug']>, context: CallContext): void {
    const { block, ...details } = context;
    debug.call(
      this.#logger,
      { ...details, blockChars: block.length },
      block === ''
        ? 'foresight: no context for this model call'
        : `foresight: injected context from bundle ${context.bundleId}, ${context.staleMs} ms old`,
    );
  }
}
