/** The default token budget of an anticipated bundle's items. */
export const DEFAULT_TOKEN_BUDGET = 2000;

export interface BudgetResult<T> {
  /** In input (rank) order. */
  kept: T[];
  totalTokens: number;
  /** How many candidates did not fit. */
  dropped: number;
}

/**
 * Keeps candidates in rank order while they fit `budget`. A candidate too large for
 * what is left is skipped, not truncated, and smaller ones after it may still fit:
 * a half item reads worse in a prompt than a missing one.
 */
export function capToBudget<T extends { tokens: number }>(
  ranked: readonly T[],
  budget: number,
): BudgetResult<T> {
  const kept: T[] = [];
  let totalTokens = 0;
  let dropped = 0;
  for (const candidate of ranked) {
    if (totalTokens + candidate.tokens <= budget) {
      kept.push(candidate);
      totalTokens += candidate.tokens;
    } else {
      dropped += 1;
    }
  }
  return { kept, totalTokens, dropped };
}
