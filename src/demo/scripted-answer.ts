import { contextBlockOf } from './turn-printer.js';

/** The block's sections a travel agent acts on; past episodes are background only. */
const USED_SECTIONS = new Set(['## Preferences', '## Facts']);

/**
 * The scripted models' final answer, written from the context block they received: the
 * preferences and facts quoted in it are what the agent "knows" about the user. Without
 * them the answer says nothing more, so the output shows what the context changed.
 */
export function scriptedAnswer(systemPrompt: string, destination: string): string {
  const known: string[] = [];
  let section = '';
  for (const line of contextBlockOf(systemPrompt).split('\n')) {
    if (line.startsWith('## ')) section = line;
    else if (line.startsWith('> ') && USED_SECTIONS.has(section)) known.push(line.slice(2));
  }
  if (known.length === 0) return `Booked your flight to ${destination}.`;
  return `Booked your flight to ${destination}. From your profile: ${known.join('; ')}.`;
}
