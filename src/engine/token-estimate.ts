/**
 * A model-free token estimate: about four characters a token for English text, the
 * usual rule of thumb for BPE tokenizers. Used for budgets, never for billing.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
