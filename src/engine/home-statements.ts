import type { AnticipationEvent } from './anticipator.js';
import { argEntries, isEmptyArg } from './tool-args.js';

/**
 * A statement of where the user lives or is: "I'm in Chicago", "we live in Porto",
 * "relocated to Lisbon", "moved from Berlin to Lisbon", "new place in San Jose", "our
 * Lisbon flat".
 */
export const HOME_STATEMENT =
  /\b(?:[Ii]'m|[Ii] am|[Ww]e're|[Ww]e are|[Ii] live|[Ww]e live|[Ll]iving|[Ll]ives|[Bb]ased|[Ss]ettled)\s+(?:now\s+)?in\s+\p{Lu}|\b(?:[Mm]oved|[Rr]elocated|[Mm]oving|[Rr]elocating)\s+(?:back\s+)?(?:from\s+\p{Lu}[\p{L}-]*(?:\s+\p{Lu}[\p{L}-]*)?\s+)?to\s+\p{Lu}|\b(?:[Pp]lace|[Hh]ome|[Hh]ouse|[Aa]partment|[Ff]lat)\s+(?:is\s+)?in\s+\p{Lu}|\b(?:[Mm]y|[Oo]ur)\s+(?:new\s+)?\p{Lu}[\p{L}-]+\s+(?:place|home|house|apartment|flat|condo)\b/u;

/**
 * An argument left empty that where the user lives fills: where a trip starts, or the
 * time zone a meeting is set in.
 */
const START_SLOT =
  /^(?:origin|from|departure(?:_city|_airport)?|home(?:_city|_address|_airport)?|time_?zone|tz)$/i;
/** "leaving from home", "home airport": the event names the user's home. */
const HOME_WORD = /\bhome\b/i;

/** Whether the event asks where the user lives: an empty origin or time zone, or the word "home". */
export function asksForHome(event: Pick<AnticipationEvent, 'toolArgs' | 'content'>): boolean {
  for (const [name, value] of argEntries(event.toolArgs)) {
    if (isEmptyArg(value) && START_SLOT.test(name)) return true;
    if (typeof value === 'string' && HOME_WORD.test(value)) return true;
  }
  return HOME_WORD.test(event.content);
}
