import type { AnticipationEvent } from './anticipator.js';
import { emptyArgNames } from './tool-args.js';

/**
 * Argument names that ask for what the user needs or will not have: a tool schema's
 * `special_requests`, `allergies`, `exclusions`, `room_preferences`, `access_notes`,
 * `accommodations`. Left empty by the model, they are exactly what the user's
 * constraints fill.
 */
const CONSTRAINT_SLOT =
  /(?:^|[_\s-])(?:special|requests?|requirements?|restrictions?|exclusions?|excluded?|preferences?|accommodations?|accessibility|needs|notes|instructions|allerg(?:y|ies)|dietary|constraints?|limitations?|avoid)(?:$|[_\s-])/i;

/**
 * A statement of a constraint or a need, in the user's words: what they cannot, will
 * not or must do ("can't step over a bathtub edge", "no fossil fuel anything", "has to
 * be lying down"), what they are bad with, afraid of or allergic to.
 */
const CONSTRAINT =
  /\b(?:can't|cannot|can not|won't|don't|do not|never|no|not|only|must|have to|has to|need|needs|required?|allergic|intolerant|afraid|scared|terrified|phobia|bad with|hates?|avoid|rather|better)\b/i;

/** Whether the event leaves empty an argument that asks for the user's constraints. */
export function asksForConstraints(event: Pick<AnticipationEvent, 'toolArgs'>): boolean {
  return emptyArgNames(event.toolArgs).some((name) =>
    CONSTRAINT_SLOT.test(name.replace(/([a-z])([A-Z])/g, '$1_$2')),
  );
}

/** Whether a statement says what the user needs or will not have. */
export function statesConstraint(text: string): boolean {
  return CONSTRAINT.test(text);
}
