import { describe, expect, it } from 'vitest';
import { capToBudget, DEFAULT_TOKEN_BUDGET } from '../../src/engine/token-budget.js';
import { estimateTokens } from '../../src/engine/token-estimate.js';

const candidate = (name: string, tokens: number) => ({ name, tokens });

describe('capToBudget', () => {
  it('keeps candidates in rank order while they fit', () => {
    const result = capToBudget([candidate('a', 5), candidate('b', 4), candidate('c', 2)], 10);
    expect(result.kept.map((c) => c.name)).toEqual(['a', 'b']);
    expect(result.totalTokens).toBe(9);
    expect(result.dropped).toBe(1);
  });

  it('skips a candidate too large for what is left and keeps smaller ones after it', () => {
    const result = capToBudget([candidate('a', 6), candidate('big', 8), candidate('c', 4)], 10);
    expect(result.kept.map((c) => c.name)).toEqual(['a', 'c']);
    expect(result.totalTokens).toBe(10);
    expect(result.dropped).toBe(1);
  });

  it('never exceeds the budget, whatever the input', () => {
    const sizes = [700, 1, 1500, 300, 2000, 0, 999, 5];
    const result = capToBudget(
      sizes.map((size, index) => candidate(String(index), size)),
      DEFAULT_TOKEN_BUDGET,
    );
    expect(result.totalTokens).toBeLessThanOrEqual(DEFAULT_TOKEN_BUDGET);
    expect(result.kept.length + result.dropped).toBe(sizes.length);
  });

  it('budgets with the four-characters-a-token estimate', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
  });
});
