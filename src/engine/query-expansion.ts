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
  /**
   * Preference categories (extraction/preference-category.ts) the intent draws on
   * whatever words they use: a travel booking wants every travel preference.
   */
  categories: readonly string[];
}

// The words people state preferences and standing rules with. An intent that wants
// preferences searches them too: "I always fly TAP", "I hate glossy screens", "never
// before 10" share no word with the tool call that needs them.
const PREFERENCE_WORDS = ['prefer', 'always', 'never', 'hate', 'avoid', 'love', 'favourite'];

const TRAVEL = ['preferences', 'facts', 'temporal_events'] as const;

const INTENTS: readonly Intent[] = [
  {
    triggers: ['flight', 'fly', 'flying', 'airline', 'airport', 'plane', 'boarding', 'layover'],
    expansion: [
      'seat',
      'aisle',
      'window',
      'airline',
      'fly',
      'flyer',
      'passport',
      'airport',
      'meal',
    ],
    prefers: TRAVEL,
    categories: ['travel'],
  },
  {
    triggers: ['hotel', 'room', 'lodging', 'accommodation', 'airbnb', 'stay', 'checkin'],
    expansion: ['hotel', 'room', 'stay', 'floor', 'quiet', 'gym', 'breakfast', 'allergic'],
    prefers: TRAVEL,
    categories: ['travel'],
  },
  {
    triggers: ['trip', 'travel', 'destination', 'itinerary', 'vacation', 'holiday', 'visa'],
    expansion: ['travel', 'trip', 'passport', 'visa', 'hotel', 'flight'],
    prefers: TRAVEL,
    categories: ['travel'],
  },
  {
    triggers: ['car', 'rental', 'rent', 'drive', 'taxi', 'uber', 'ride'],
    expansion: ['car', 'rental', 'drive', 'license', 'seat', 'kid', 'child'],
    prefers: ['preferences', 'facts'],
    categories: ['travel'],
  },
  {
    // Where someone lives is where their trips start and their parcels go.
    triggers: ['home', 'house', 'address', 'local', 'nearby'],
    expansion: ['live', 'moved', 'home', 'address', 'based'],
    prefers: ['facts', 'preferences'],
    categories: [],
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
    expansion: ['food', 'cuisine', 'vegetarian', 'vegan', 'allergic', 'allergy', 'diet', 'eat'],
    prefers: ['preferences', 'facts'],
    categories: ['food'],
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
      'dentist',
      'doctor',
    ],
    expansion: [
      'meeting',
      'schedule',
      'morning',
      'afternoon',
      'evening',
      'calendar',
      'appointment',
      'every',
      'pick',
      'available',
    ],
    prefers: ['temporal_events', 'preferences', 'facts'],
    categories: ['schedule'],
  },
  {
    triggers: ['email', 'mail', 'message', 'reply', 'draft', 'write', 'letter', 'slack', 'post'],
    expansion: ['tone', 'formal', 'style', 'brief', 'concise', 'signature', 'email'],
    prefers: ['preferences', 'facts'],
    categories: ['communication'],
  },
  {
    triggers: [
      'order',
      'buy',
      'purchase',
      'cart',
      'checkout',
      'product',
      'products',
      'shop',
      'shopping',
      'gift',
      'size',
      'recommend',
      'laptop',
      'shoe',
      'shoes',
    ],
    expansion: ['size', 'brand', 'shipping', 'address', 'delivery', 'budget', 'material', 'need'],
    prefers: ['preferences', 'facts'],
    categories: ['shopping'],
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
      'tax',
      'bank',
      'loan',
      'mortgage',
      'stock',
      'fund',
      'savings',
      'afford',
      'affordability',
      'cost',
      'price',
    ],
    expansion: [
      'budget',
      'salary',
      'income',
      'rent',
      'loan',
      'savings',
      'invest',
      'risk',
      'debt',
      'hours',
    ],
    prefers: ['facts', 'preferences', 'temporal_events'],
    categories: [],
  },
  {
    // Business purchasing: who approves, under which limits and contracts.
    triggers: [
      'purchase',
      'procurement',
      'vendor',
      'supplier',
      'invoice',
      'billing',
      'contract',
      'quote',
      'po',
      'approval',
      'seats',
      'license',
      'renewal',
    ],
    expansion: ['approval', 'approve', 'policy', 'limit', 'contract', 'seats', 'license', 'plan'],
    prefers: ['facts', 'preferences'],
    categories: ['work'],
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
      'bill',
      'charge',
      'charged',
      'error',
      'errors',
    ],
    expansion: ['order', 'account', 'plan', 'subscription', 'device', 'error', 'issue', 'upgrade'],
    prefers: ['facts', 'episodes', 'emotions', 'preferences'],
    categories: [],
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
      'migrate',
      'database',
    ],
    expansion: [
      'language',
      'framework',
      'typescript',
      'python',
      'editor',
      'style',
      'project',
      'stack',
      'library',
      'version',
      'use',
    ],
    prefers: ['preferences', 'facts'],
    categories: ['work'],
  },
  {
    // What an imaging or a procedure screens for before it is booked: implants and
    // devices, pregnancy, allergies (contrast, latex), kidney function, claustrophobia.
    triggers: [
      'imaging',
      'mri',
      'scan',
      'xray',
      'ct',
      'ultrasound',
      'surgery',
      'procedure',
      'anesthesia',
      'biopsy',
      'colonoscopy',
      'bloodwork',
    ],
    expansion: [
      'implant',
      'pacemaker',
      'metal',
      'pregnant',
      'allergic',
      'allergy',
      'claustrophobic',
      'kidney',
      'medication',
      'condition',
    ],
    prefers: ['facts', 'temporal_events'],
    categories: [],
  },
  {
    // What a training plan must work around: injuries, operations, conditions.
    triggers: [
      'workout',
      'exercise',
      'training',
      'gym',
      'fitness',
      'lifting',
      'strength',
      'cardio',
      'running',
      'marathon',
      'race',
      'triathlon',
      'cycling',
      'swimming',
      'hiking',
      'sport',
      'sports',
      'jogging',
      'yoga',
      'pilates',
    ],
    expansion: [
      'injury',
      'injured',
      'surgery',
      'tore',
      'torn',
      'knee',
      'back',
      'shoulder',
      'ankle',
      'pain',
      'asthma',
      'condition',
    ],
    prefers: ['facts', 'preferences'],
    categories: [],
  },
  {
    // What a phone call needs to know first: whether and in which language to speak.
    triggers: ['callback', 'phone', 'voice', 'voicemail', 'dial'],
    expansion: ['deaf', 'hearing', 'voice', 'text', 'chat', 'language', 'speak', 'number'],
    prefers: ['preferences', 'facts'],
    categories: ['communication'],
  },
  {
    // What a pet's care needs: its clinic, vaccines, allergies, medication, temper.
    triggers: ['vet', 'veterinarian', 'pet', 'dog', 'cat', 'puppy', 'kitten', 'grooming'],
    expansion: [
      'vet',
      'clinic',
      'vaccine',
      'allergic',
      'allergy',
      'medication',
      'breed',
      'anxious',
    ],
    prefers: ['facts', 'preferences'],
    categories: [],
  },
  {
    triggers: ['health', 'medication', 'pharmacy', 'clinic', 'therapy', 'allergy'],
    expansion: ['allergic', 'allergy', 'medication', 'doctor', 'dentist', 'appointment'],
    prefers: ['facts', 'temporal_events'],
    categories: [],
  },
  {
    // What a prescription is checked against: allergies, what else is taken, pregnancy.
    triggers: ['prescription', 'refill', 'drug', 'medicine', 'dose', 'painkiller', 'pill'],
    expansion: [
      'allergic',
      'allergy',
      'medication',
      'taking',
      'blood',
      'thinner',
      'pregnant',
      'pharmacy',
      'condition',
    ],
    prefers: ['facts', 'temporal_events'],
    categories: [],
  },
  {
    // Finding a doctor: the insurance that pays, and whom the patient sees or wants.
    triggers: ['doctor', 'physician', 'specialist', 'dermatologist', 'therapist', 'provider'],
    expansion: ['insurance', 'covered', 'network', 'female', 'male', 'language', 'prefer'],
    prefers: ['preferences', 'facts'],
    categories: [],
  },
  {
    // Insurance: which carrier and plan, through which employer, what it covers.
    triggers: ['insurance', 'insurer', 'claim', 'coverage', 'policy', 'deductible', 'copay'],
    expansion: ['insurance', 'plan', 'carrier', 'member', 'card', 'job', 'employer', 'covered'],
    prefers: ['facts', 'temporal_events'],
    categories: [],
  },
  {
    // Courses and enrolment: the program, the requirements, accommodations.
    triggers: ['course', 'courses', 'enroll', 'enrol', 'register', 'semester', 'tutor', 'class'],
    expansion: [
      'major',
      'program',
      'degree',
      'credits',
      'requirement',
      'prerequisite',
      'accommodation',
      'dyslexia',
      'adhd',
    ],
    prefers: ['facts', 'preferences'],
    categories: [],
  },
  {
    // Work on a home: who must agree, how to get in, what is in the way or forbidden.
    triggers: [
      'repair',
      'maintenance',
      'contractor',
      'plumber',
      'electrician',
      'renovation',
      'renovate',
      'cleaning',
      'cleaner',
      'paint',
      'install',
    ],
    expansion: [
      'landlord',
      'lease',
      'writing',
      'permission',
      'key',
      'code',
      'dog',
      'allergic',
      'asbestos',
      'budget',
      'standard',
    ],
    prefers: ['facts', 'preferences'],
    categories: [],
  },
  {
    // A meal or nutrition plan: diet, allergies and intolerances, the goal.
    triggers: ['nutrition', 'meal', 'diet', 'protein', 'calories', 'macros', 'supplement'],
    expansion: [
      'vegetarian',
      'vegan',
      'allergic',
      'allergy',
      'intolerant',
      'lactose',
      'gluten',
      'goal',
      'diet',
    ],
    prefers: ['facts', 'preferences'],
    categories: ['food'],
  },
  {
    // A gift: what the person likes, their sizes, what they cannot have.
    triggers: ['gift', 'present', 'birthday', 'anniversary'],
    expansion: ['likes', 'loves', 'size', 'favourite', 'allergic', 'budget', 'collects'],
    prefers: ['preferences', 'facts'],
    categories: ['shopping'],
  },
  {
    // Children's care: who picks up, when, what they need.
    triggers: ['pickup', 'childcare', 'babysitter', 'nanny', 'daycare', 'school', 'kids'],
    expansion: ['pickup', 'school', 'custody', 'allergic', 'allergy', 'nap', 'bedtime', 'sitter'],
    prefers: ['facts', 'temporal_events', 'preferences'],
    categories: [],
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

/** What the event's words call up; all empty for no intent. */
export interface Expansion {
  words: string[];
  prefers: MemoryType[];
  /** Preference categories whose memories count as matched. */
  categories: string[];
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
  const categories = new Set<string>();
  for (const intent of intents) {
    for (const word of intent.expansion) if (!present.has(word)) expanded.add(word);
    for (const type of intent.prefers) prefers.add(type);
    for (const category of intent.categories) categories.add(category);
  }
  if (prefers.has('preferences')) {
    for (const word of PREFERENCE_WORDS) if (!present.has(word)) expanded.add(word);
  }
  return { words: [...expanded], prefers: [...prefers], categories: [...categories] };
}

function baseForms(word: string): string[] {
  const forms = [word];
  if (word.endsWith('ies') && word.length > 4) forms.push(`${word.slice(0, -3)}y`);
  else if (word.endsWith('s') && !word.endsWith('ss') && word.length > 3)
    forms.push(word.slice(0, -1));
  if (word.endsWith('ing') && word.length > 5) forms.push(word.slice(0, -3));
  return forms;
}
