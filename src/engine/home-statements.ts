import type { AnticipationEvent } from './anticipator.js';

/**
 * A statement of where the user lives or is: "I'm in Chicago", "we live in Porto",
 * "relocated to Lisbon", "moved from Berlin to Lisbon", "new place in San Jose".
 */
export const HOME_STATEMENT =
  /\b(?:[Ii]'m|[Ii] am|[Ww]e're|[Ww]e are|[Ii] live|[Ww]e live|[Ll]iving|[Ll]ives|[Bb]ased|[Ss]ettled)\s+(?:now\s+)?in\s+\p{Lu}|\b(?:[Mm]oved|[Rr]elocated|[Mm]oving|[Rr]elocating)\s+(?:back\s+)?(?:from\s+\p{Lu}[\p{L}-]*(?:\s+\p{Lu}[\p{L}-]*)?\s+)?to\s+\p{Lu}|\b(?:[Pp]lace|[Hh]ome|[Hh]ouse|[Aa]partment|[Ff]lat)\s+(?:is\s+)?in\s+\p{Lu}/u;

/** An argument left empty that a trip starts from: where the user lives fills it. */
const START_SLOT =
  /^(?:origin|from|departure(?:_city|_airport)?|home(?:_city|_address|_airport)?)$/i;
/** "leaving from home", "home airport": the event names the user's home. */
const HOME_WORD = /\bhome\b/i;

/** Whether the event asks where the user lives: an empty origin, or the word "home". */
export function asksForHome(event: Pick<AnticipationEvent, 'toolArgs' | 'content'>): boolean {
  const args = event.toolArgs;
  if (typeof args === 'object' && args !== null && !Array.isArray(args)) {
    for (const [name, value] of Object.entries(args)) {
      if ((value === null || value === '') && START_SLOT.test(name)) return true;
      if (typeof value === 'string' && HOME_WORD.test(value)) return true;
    }
  }
  return HOME_WORD.test(event.content);
}
