import type { MemoryType } from '../store/records.js';

/**
 * What a kind of agent action usually needs. A tool called `book_flight` never says
 * "aisle seat", yet the seat preference is what the booking needs; the words here
 * bridge the action to the memories that serve it. Matched on the event's own words
 * (tool name, argument keys, the turn's text), stemmed by PostgreSQL's english
 * configuration when searched, so singular forms suffice.
 */
interface Intent {
  /** Any of these words in the event calls the intent up. */
  triggers: readonly string[];
  /** Searched as one extra, lower-weight query. */
  expansion: readonly string[];
  /** Types that serve this intent best; the others still count, a little less. */
  prefers: readonly MemoryType[];
}

const INTENTS: readonly Intent[] = [
  {
    triggers: ['flight', 'fly', 'flying', 'airline', 'airport', 'plane', 'boarding', 'layover'],
    expansion: ['seat', 'aisle', 'window', 'airline', 'flyer', 'passport', 'airport', 'trip'],
    prefers: ['preferences', 'facts', 'temporal_events'],
  },
  {
    triggers: ['hotel', 'room', 'lodging', 'accommodation', 'airbnb', 'stay', 'checkin'],
    expansion: ['hotel', 'room', 'stay', 'floor', 'quiet', 'gym', 'breakfast', 'trip'],
    prefers: ['preferences', 'facts', 'temporal_events'],
  },
  {
    triggers: ['trip', 'travel', 'destination', 'itinerary', 'vacation', 'holiday', 'visa'],
    expansion: ['travel', 'trip', 'passport', 'visa', 'hotel', 'flight'],
    prefers: ['preferences', 'facts', 'temporal_events'],
  },
  {
    triggers: ['car', 'rental', 'rent', 'drive', 'taxi', 'uber', 'ride'],
    expansion: ['car', 'rental', 'drive', 'license'],
    prefers: ['preferences', 'facts'],
  },
  {
    triggers: [
      'restaurant',
      'dinner',
      'lunch',
      'breakfast',
      'food',
      'meal',
      'menu',
      'recipe',
      'cuisine',
      'table',
      'catering',
      'grocery',
    ],
    expansion: [
      'food',
      'cuisine',
      'vegetarian',
      'vegan',
      'allergic',
      'allergy',
      'diet',
      'eat',
      'restaurant',
    ],
    prefers: ['preferences', 'facts'],
  },
  {
    triggers: [
      'meeting',
      'schedule',
      'calendar',
      'appointment',
      'event',
      'invite',
      'reminder',
      'reschedule',
      'availability',
      'slot',
      'call',
    ],
    expansion: [
      'meeting',
      'schedule',
      'morning',
      'afternoon',
      'evening',
      'calendar',
      'appointment',
      'timezone',
      'available',
    ],
    prefers: ['temporal_events', 'preferences', 'facts'],
  },
  {
    triggers: ['email', 'mail', 'message', 'reply', 'draft', 'write', 'letter', 'slack', 'post'],
    expansion: ['tone', 'formal', 'style', 'brief', 'concise', 'signature', 'email'],
    prefers: ['preferences', 'facts'],
  },
  {
    triggers: [
      'order',
      'buy',
      'purchase',
      'cart',
      'checkout',
      'product',
      'shop',
      'shopping',
      'gift',
      'size',
    ],
    expansion: ['size', 'brand', 'shipping', 'address', 'delivery', 'budget', 'color', 'order'],
    prefers: ['preferences', 'facts'],
  },
  {
    triggers: [
      'payment',
      'pay',
      'transfer',
      'invest',
      'investment',
      'portfolio',
      'budget',
      'expense',
      'invoice',
      'tax',
      'bank',
      'loan',
      'mortgage',
      'stock',
      'fund',
      'savings',
    ],
    expansion: [
      'budget',
      'account',
      'bank',
      'risk',
      'invest',
      'portfolio',
      'tax',
      'salary',
      'income',
      'savings',
      'currency',
    ],
    prefers: ['facts', 'preferences', 'temporal_events'],
  },
  {
    triggers: [
      'ticket',
      'issue',
      'refund',
      'complaint',
      'support',
      'troubleshoot',
      'return',
      'warranty',
      'cancel',
      'subscription',
      'outage',
    ],
    expansion: [
      'order',
      'account',
      'plan',
      'subscription',
      'device',
      'error',
      'issue',
      'problem',
      'refund',
    ],
    prefers: ['facts', 'episodes', 'emotions', 'preferences'],
  },
  {
    triggers: [
      'code',
      'test',
      'tests',
      'deploy',
      'build',
      'repo',
      'repository',
      'commit',
      'pull',
      'review',
      'lint',
      'debug',
      'function',
      'refactor',
      'file',
      'compile',
      'package',
      'migration',
    ],
    expansion: [
      'language',
      'framework',
      'typescript',
      'python',
      'editor',
      'style',
      'repo',
      'project',
      'stack',
      'library',
      'convention',
    ],
    prefers: ['preferences', 'facts'],
  },
  {
    triggers: ['doctor', 'dentist', 'health', 'medication', 'pharmacy', 'clinic', 'therapy'],
    expansion: ['allergic', 'allergy', 'medication', 'doctor', 'dentist', 'appointment'],
    prefers: ['facts', 'temporal_events'],
  },
];

const BY_TRIGGER = new Map<string, Intent[]>();
for (const intent of INTENTS) {
  for (const trigger of intent.triggers) {
    const list = BY_TRIGGER.get(trigger) ?? [];
    list.push(intent);
    BY_TRIGGER.set(trigger, list);
  }
}

/** The expansion words and preferred types the event's words call up; none for no intent. */
export interface Expansion {
  words: string[];
  prefers: MemoryType[];
}

/**
 * Expands event words (lower case) into the intents they trigger. Plural and -ing
 * forms are tried as their base, so `flights` and `booking` need no entry of their own.
 */
export function expandIntent(eventWords: readonly string[]): Expansion {
  const intents = new Set<Intent>();
  for (const word of eventWords) {
    for (const form of baseForms(word)) {
      for (const intent of BY_TRIGGER.get(form) ?? []) intents.add(intent);
    }
  }
  const present = new Set(eventWords);
  const expanded = new Set<string>();
  const prefers = new Set<MemoryType>();
  for (const intent of intents) {
    for (const word of intent.expansion) if (!present.has(word)) expanded.add(word);
    for (const type of intent.prefers) prefers.add(type);
  }
  return { words: [...expanded], prefers: [...prefers] };
}

function baseForms(word: string): string[] {
  const forms = [word];
  if (word.endsWith('ies') && word.length > 4) forms.push(`${word.slice(0, -3)}y`);
  else if (word.endsWith('s') && !word.endsWith('ss') && word.length > 3)
    forms.push(word.slice(0, -1));
  if (word.endsWith('ing') && word.length > 5) forms.push(word.slice(0, -3));
  return forms;
}
