import { MEMORY_TYPES, type MemoryType } from '../../protocol/index.js';

/** One item of a bundle, as the inspector lists it. */
export interface SummaryItem {
  content: string;
  relevanceScore: number;
  similarityScore: number;
  confidence: number;
  scope: string;
}

/** What the inspector shows of a stored bundle. */
export interface BundleSummary {
  totalTokens: number;
  itemsByType: Partial<Record<MemoryType, SummaryItem[]>>;
  /** The bundle's own `created_at`, when it holds a valid one. */
  createdAt: Date | undefined;
}

/**
 * Reads the few fields a page shows from a stored bundle's JSON, without validating the
 * rest: the full decode (bundle-codec's schema) cost more than the query and the page
 * together on a timeline of fifty bundles. Undefined for a payload of another shape.
 */
export function summarizeBundle(payload: Record<string, unknown>): BundleSummary | undefined {
  const items = payload.items_by_type;
  if (typeof items !== 'object' || items === null) return undefined;
  const itemsByType: BundleSummary['itemsByType'] = {};
  for (const type of MEMORY_TYPES) {
    const list = (items as Record<string, unknown>)[type];
    if (!Array.isArray(list)) continue;
    itemsByType[type] = list.flatMap((raw: unknown) => {
      if (typeof raw !== 'object' || raw === null) return [];
      const item = raw as Record<string, unknown>;
      return typeof item.content === 'string'
        ? [
            {
              content: item.content,
              relevanceScore: numberOr(item.relevance_score),
              similarityScore: numberOr(item.similarity_score),
              confidence: numberOr(item.confidence),
              scope: typeof item.scope === 'string' ? item.scope : '',
            },
          ]
        : [];
    });
  }
  const created = typeof payload.created_at === 'string' ? new Date(payload.created_at) : null;
  return {
    totalTokens: numberOr(payload.total_tokens),
    itemsByType,
    createdAt: created && !Number.isNaN(created.getTime()) ? created : undefined,
  };
}

function numberOr(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
