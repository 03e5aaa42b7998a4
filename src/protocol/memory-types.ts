/** The five memory types of the protocol: the keys of a fetch answer and of `items_by_type`. */
export const MEMORY_TYPES = [
  'facts',
  'preferences',
  'episodes',
  'emotions',
  'temporal_events',
] as const;
export type MemoryType = (typeof MEMORY_TYPES)[number];

/** Scopes from narrowest to broadest; the narrower wins on conflict. */
export const SCOPES = ['conversation', 'user', 'customer', 'client'] as const;
export type Scope = (typeof SCOPES)[number];
