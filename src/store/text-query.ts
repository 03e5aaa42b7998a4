/** Words kept from a query; more add little to ranking and cost time. */
const MAX_WORDS = 32;
const MAX_WORD_LENGTH = 64;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Turns free text into `to_tsquery` input that matches ANY of its words
 * (`'vegetarian' | 'restaurant' | 'paris'`). `websearch_to_tsquery` ANDs every word,
 * so a natural question rarely matches a short memory; OR-ing and ranking with
 * ts_rank_cd keeps recall and still puts the best matches first.
 *
 * Only letters and digits survive, so no tsquery operator or quote from the input can
 * reach `to_tsquery` (which raises on bad syntax). Returns '' when no word is left.
 */
export function toAnyWordQuery(text: string): string {
  const words = new Set<string>();
  for (const match of text.toLowerCase().matchAll(WORD)) {
    words.add(match[0].slice(0, MAX_WORD_LENGTH));
    if (words.size === MAX_WORDS) break;
  }
  return [...words].join(' | ');
}
