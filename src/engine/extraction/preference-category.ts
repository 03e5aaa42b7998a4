/** Categories a preference can fall in; `general` when no keyword matches. */
export const PREFERENCE_CATEGORIES = [
  'travel',
  'food',
  'communication',
  'schedule',
  'shopping',
  'work',
  'general',
] as const;
export type PreferenceCategory = (typeof PREFERENCE_CATEGORIES)[number];

// Singular stems: words are matched after a trailing "s" is dropped. Order matters:
// the first category with a match wins ("a window seat on the morning flight" is travel).
const KEYWORD_LISTS: Record<Exclude<PreferenceCategory, 'general'>, string> = {
  travel:
    'flight fly flie flying seat aisle window hotel trip airline travel train airport economy luggage bag layover car rental cruise vacation holiday beach room suite direct nonstop',
  food: 'food eat restaurant coffee tea vegetarian vegan cuisine pizza sushi meal drink wine beer spicy breakfast lunch dinner cook cooking dessert meat fish italian thai indian chinese mexican',
  communication:
    'email call phone text message slack reply contact chat notification sms whatsapp voicemail update summary answer bullet',
  schedule:
    'morning evening afternoon night meeting weekend early late schedule calendar monday tuesday wednesday thursday friday saturday sunday appointment weekday',
  shopping:
    'buy shop shopping brand price store order delivery discount cheap deal online shipping clothe shoe size',
  work: 'work job office remote project team colleague boss code coding deadline standup client report task',
};

const KEYWORDS = Object.entries(KEYWORD_LISTS).map(
  ([category, list]) => [category as PreferenceCategory, new Set(list.split(' '))] as const,
);

/** The category of a preference from its words; the first category with a match wins. */
export function preferenceCategory(text: string): PreferenceCategory {
  const words = new Set(
    text
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter(Boolean)
      .map((word) => (word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word)),
  );
  for (const [category, keywords] of KEYWORDS) {
    for (const word of words) if (keywords.has(word)) return category;
  }
  return 'general';
}
