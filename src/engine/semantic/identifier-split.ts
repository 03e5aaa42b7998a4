// Up to its first capital a token is lower case or digits: the match is linear, where
// "\p{Ll}{2,}[\p{L}\p{N}]*\p{Lu}" backtracked quadratically over a long lower-case word.
const IDENTIFIER = /(?<![\p{L}\p{N}])\p{Ll}{2}[\p{Ll}\p{N}]*\p{Lu}[\p{L}\p{N}]*/gu;

/**
 * A text with its code identifiers split into words: `bookHotelRoom` → `book Hotel Room`,
 * `getHTTPResponse` → `get HTTP Response`. Only a token that starts like an identifier
 * (two lower-case letters or more, then a capital) is split: a name with a capital inside
 * ("ThinkPad", "PayPal", "GitHub", "iPhone", "McDonald") is one word, since split it reads
 * as "pad", "pal" or "hub" and matches whatever memory has that word.
 */
export function splitIdentifiers(text: string): string {
  return text.replace(IDENTIFIER, (token) =>
    token
      .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
      .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2'),
  );
}
