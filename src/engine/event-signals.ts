import { type AmountBound, amountBounds, boundApplies, eventAmounts } from './amount-bounds.js';
import type { AnticipationEvent } from './anticipator.js';
import { asksForConstraints, statesConstraint } from './constraint-slots.js';
import { asksForHome, HOME_STATEMENT } from './home-statements.js';
import type { WorkingMemory } from './memory-working-set.js';
import { CATEGORY_WEIGHT } from './query-planner.js';
import {
  eventWeekTimes,
  type Recurrence,
  recurrenceOf,
  recursAtEventTime,
  type WeekTimes,
} from './recurring-times.js';
import { eventDays, holdsOnEventDay } from './time-overlap.js';

// What a preference of the intent's category is worth without a word in common: a
// quarter of the weight a category match has in the store's ordering, a weak match. A
// user has many preferences of one category (a traveller's seats, airlines, hotels), and
// at half, every one of them came with every booking.
const CATEGORY_MATCH = CATEGORY_WEIGHT * 0.25;
// What holding on the event's day is worth without a word in common: a strong match,
// since a ban, a stay or an appointment that day changes what the agent should do.
const TIME_MATCH = 0.5;
// What a habit at the event's time is worth ("no meetings on Fridays" for a Friday): a
// weekly habit is less certain to hold on one given day than a dated statement.
const RECURRING_MATCH = 0.35;
// What a money rule the event's amount brings into play is worth ("anything over $50k
// goes to legal" for an $80k contract): as strong as a date, for the same reason.
const AMOUNT_MATCH = 0.5;
// What where the user lives is worth to an event that starts from there (an empty
// origin, "leaving from home"): as strong as a date it holds on.
const HOME_MATCH = 0.5;
// What a statement of a constraint ("can't step over a bathtub edge") gains when the
// event leaves empty an argument that asks for them (`special_requests`): a lift of
// what it matched, not a match of its own, so a constraint about nothing the event is
// about stays out.
const CONSTRAINT_LIFT = 1.5;

/** What an event is about besides its words, read once per event. */
export interface EventSignals {
  days: readonly Date[];
  weekTimes: WeekTimes;
  amounts: readonly number[];
  /** It leaves empty an argument that asks for the user's constraints. */
  constraints: boolean;
  /** It starts from where the user lives. */
  home: boolean;
  categories: ReadonlySet<string>;
}

export function eventSignals(
  event: AnticipationEvent,
  categories: readonly string[],
  now: Date,
): EventSignals {
  const days = eventDays(event, now);
  return {
    days,
    weekTimes: eventWeekTimes(event, days),
    amounts: eventAmounts(event),
    constraints: asksForConstraints(event),
    home: asksForHome(event),
    categories: new Set(categories),
  };
}

/**
 * The signals a memory may match an event by whatever words it shares with it: a
 * preference of the intent's category, what holds on the event's days or recurs then
 * (time-overlap.ts, recurring-times.ts), a money rule the event's amount brings into play
 * (amount-bounds.ts), where the user lives for an event that starts there, a constraint
 * when the event asks for them. What each memory states is read once and kept as long as
 * the working set holds the memory.
 */
export class MemorySignals {
  readonly #bounds = new WeakMap<WorkingMemory, readonly AmountBound[]>();
  readonly #recurrences = new WeakMap<WorkingMemory, Recurrence | null>();
  readonly #constraints = new WeakMap<WorkingMemory, boolean>();

  /** `score` (the memory's word relevance, 0..1) with what the event's signals add. */
  score(held: WorkingMemory, score: number, event: EventSignals): number {
    let scored = score;
    if (held.category !== null && event.categories.has(held.category)) {
      scored = orMatch(scored, CATEGORY_MATCH);
    }
    if (holdsOnEventDay(held.memory, event.days)) scored = orMatch(scored, TIME_MATCH);
    else if (this.#recursThen(held, event.weekTimes)) scored = orMatch(scored, RECURRING_MATCH);
    if (event.amounts.length > 0 && boundApplies(this.#boundsOf(held), event.amounts)) {
      scored = orMatch(scored, AMOUNT_MATCH);
    }
    if (event.home && HOME_STATEMENT.test(held.memory.content)) {
      scored = orMatch(scored, HOME_MATCH);
    }
    if (event.constraints && this.#statesConstraint(held)) {
      scored = Math.min(1, scored * CONSTRAINT_LIFT);
    }
    return scored;
  }

  #boundsOf(held: WorkingMemory): readonly AmountBound[] {
    let bounds = this.#bounds.get(held);
    if (!bounds) {
      bounds = amountBounds(held.memory.content);
      this.#bounds.set(held, bounds);
    }
    return bounds;
  }

  #recursThen(held: WorkingMemory, event: WeekTimes): boolean {
    if (event.days === 0) return false;
    let recurrence = this.#recurrences.get(held);
    if (recurrence === undefined) {
      recurrence = recurrenceOf(held.memory.content) ?? null;
      this.#recurrences.set(held, recurrence);
    }
    return recurrence !== null && recursAtEventTime(recurrence, event);
  }

  #statesConstraint(held: WorkingMemory): boolean {
    let states = this.#constraints.get(held);
    if (states === undefined) {
      states = statesConstraint(held.memory.content);
      this.#constraints.set(held, states);
    }
    return states;
  }
}

/** Two independent signals of relevance (0..1) as one, a noisy-or. */
export function orMatch(score: number, other: number): number {
  return 1 - (1 - score) * (1 - other);
}
