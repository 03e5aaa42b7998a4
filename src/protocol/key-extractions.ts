/**
 * A compaction's key extractions in their wire form, for the `key_extractions` object
 * of REST answers and the `key_extractions_json` text of bundles alike. Every entry is
 * an object with `content` and a numeric `confidence`: Synap's Python client indexes
 * each entry with `entry.get("content")` and `float(entry.get("confidence"))`, and a
 * bare string makes its stream handler drop the whole bundle.
 */
export interface KeyExtractionItem {
  content: string;
  /** 0..1. */
  confidence: number;
}

export type KeyExtractions = Record<'facts' | 'decisions' | 'preferences', KeyExtractionItem[]>;

/**
 * The compactor keeps what the conversation stated, condensed into its own words:
 * trusted, but a notch below a fact given verbatim.
 */
export const KEY_EXTRACTION_CONFIDENCE = 0.9;

export function toKeyExtractions(lists: {
  facts: readonly string[];
  decisions: readonly string[];
  preferences: readonly string[];
}): KeyExtractions {
  const items = (values: readonly string[]) =>
    values.map((content) => ({ content, confidence: KEY_EXTRACTION_CONFIDENCE }));
  return {
    facts: items(lists.facts),
    decisions: items(lists.decisions),
    preferences: items(lists.preferences),
  };
}
