import { LRUCache } from 'lru-cache';
import type { AnticipationEvent } from './anticipator.js';
import { planQueries, type QueryPlan } from './query-planner.js';

type PlanInput = Pick<
  AnticipationEvent,
  'toolName' | 'toolArgs' | 'content' | 'searchQueries' | 'contextTypes'
>;

const MAX_KEY_CHARS = 2000;

/**
 * Plans by event signature. Agent loops repeat themselves: the same tool with the same
 * arguments, the same context request on every turn; a repeat skips the argument walk,
 * the word splitting and the intent expansion. A plan is a pure function of the
 * event's own words, so sharing it across conversations shares nothing private.
 */
export class PlanCache {
  readonly #plans: LRUCache<string, QueryPlan>;
  readonly #maxQueries: number;

  constructor(maxQueries: number, max = 2000) {
    this.#maxQueries = maxQueries;
    this.#plans = new LRUCache({ max });
  }

  plan(event: PlanInput): QueryPlan {
    const key = JSON.stringify([
      event.toolName,
      event.toolArgs,
      event.content,
      event.searchQueries,
      event.contextTypes,
    ]);
    // A long user turn is rarely repeated word for word: not worth its memory.
    if (key.length > MAX_KEY_CHARS) return planQueries(event, { maxQueries: this.#maxQueries });
    const held = this.#plans.get(key);
    if (held) return held;
    const plan = planQueries(event, { maxQueries: this.#maxQueries });
    this.#plans.set(key, plan);
    return plan;
  }
}
