/**
 * A text with its English contractions spelled out: "don't" → "do not", "won't" → "will
 * not", "I've" → "I", "they're" → "they". Split on the apostrophe instead, they leave
 * fragments that read as words ("don", "didn", "ve", "ll") and match every memory that
 * contracts the same way. The pronoun's verb adds nothing a match needs, so it goes.
 */
export function withoutContractions(text: string): string {
  return text
    .replace(
      /\b(ca|wo|sha)n['’]t\b/giu,
      (_, stem: string) => `${FULL_MODAL[stem.toLowerCase()] ?? stem} not`,
    )
    .replace(/(\p{L})n['’]t\b/giu, '$1 not')
    .replace(/(\p{L})['’](?:ll|ve|re|d|m)\b/giu, '$1');
}

const FULL_MODAL: Record<string, string> = { ca: 'can', wo: 'will', sha: 'shall' };
