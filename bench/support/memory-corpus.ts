import { preferenceCategory } from '../../src/engine/extraction/preference-category.js';
import type { MemoryType, NewMemory } from '../../src/store/records.js';
import { fillTemplate } from './bench-vocabulary.js';
import type { SeededRandom } from './seeded-random.js';

/** The user id of bench user `index`; shared by seeding, ingest and the query side. */
export function benchUserId(index: number): string {
  return `user-${String(index).padStart(5, '0')}`;
}

interface TypeTemplates {
  type: MemoryType;
  /** Relative share of this type among a user's memories. */
  weight: number;
  templates: readonly string[];
}

// Facts and preferences dominate real memory stores; emotions are the rarest.
const TYPES: readonly TypeTemplates[] = [
  {
    type: 'facts',
    weight: 35,
    templates: [
      '{name} lives in {city} and works as a {job}.',
      "{name}'s partner is called {person}; they have {count} children.",
      '{name} has {tier} status on the {airline} frequent flyer programme.',
      '{name} is allergic to {allergen} and always carries medication.',
      "{name}'s passport expires in {month}, so renewals need to start early.",
      '{name} drives a {car} and usually rents {carClass} cars when travelling.',
      '{name} grew up in {city} and still visits family there every {month}.',
    ],
  },
  {
    type: 'preferences',
    weight: 30,
    templates: [
      'Prefers {seat} seats on flights longer than {count} hours.',
      'Likes {cuisine} food, especially {dish}.',
      'Prefers hotels close to {landmark} with a {amenity}.',
      'Wants meetings scheduled in the {partOfDay}, never on {weekday}s.',
      'Prefers answers that are {style}.',
      'Books {airline} when the fare difference is small.',
    ],
  },
  {
    type: 'episodes',
    weight: 15,
    templates: [
      'Flew to {city} with {person} in {month} for a {occasion}; the flight was delayed by {count} hours.',
      'Celebrated a {occasion} at a {cuisine} restaurant in {city} with {person}.',
      'Had a long call with {person} about the budget of the {project} project.',
      'Missed a connection in {city} and stayed overnight near {landmark}.',
    ],
  },
  {
    type: 'emotions',
    weight: 8,
    templates: [
      'Felt {emotion} about the {project} deadline after the review with {person}.',
      'Was {emotion} when the {airline} flight to {city} was cancelled.',
      'Sounded {emotion} while planning the {occasion} in {city}.',
    ],
  },
  {
    type: 'temporal_events',
    weight: 12,
    templates: [
      'Dentist appointment on {weekday} at {hour}.',
      'Conference in {city} in {month}; the talk is on {weekday} at {hour}.',
      "{person}'s birthday party in {month} at a {cuisine} place near {landmark}.",
      'Flight to {city} with {airline} leaving {weekday} at {hour}.',
    ],
  },
];
const TOTAL_WEIGHT = TYPES.reduce((sum, entry) => sum + entry.weight, 0);

const DAY_MS = 86_400_000;

/** One user-scoped memory with realistic, varied English content and type-specific fields. */
export function benchMemory(userIndex: number, random: SeededRandom): NewMemory {
  const kind = pickType(random);
  const content = fillTemplate(random.pick(kind.templates), random);
  const memory: NewMemory = {
    scope: 'user',
    userId: benchUserId(userIndex),
    customerId: '',
    conversationId: null,
    memoryType: kind.type,
    content,
    entityId: '',
    // Empty on purpose: a subject key makes each insert take an advisory lock and run a
    // supersede UPDATE, which would measure the supersede path instead of the search.
    subjectKey: '',
    confidence: round(0.5 + random.next() * 0.5),
    category: null,
    strength: null,
    significance: null,
    participants: [],
    eventDate: null,
    validUntil: null,
    temporalCategory: 'perpetual',
    sourceMessageIds: [],
    metadata: { source: 'bench' },
  };
  switch (kind.type) {
    case 'preferences':
      // From its words, as extraction files a preference: a seat preference is travel.
      // (It was a random pick; the draw is still made, so that every memory seeded after
      // this one is the same as before and figures stay comparable across the change.)
      random.next();
      memory.category = preferenceCategory(content);
      memory.strength = round(random.next());
      break;
    case 'episodes':
      memory.significance = round(random.next());
      memory.participants = [fillTemplate('{person}', random)];
      memory.temporalCategory = 'episode';
      break;
    case 'temporal_events':
      // Spread over the coming year so none has expired by the time it is searched.
      memory.eventDate = new Date(Date.now() + random.integer(1, 365) * DAY_MS);
      memory.temporalCategory = 'temporal_fact';
      break;
    default:
      break;
  }
  return memory;
}

function pickType(random: SeededRandom): TypeTemplates {
  let roll = random.next() * TOTAL_WEIGHT;
  for (const entry of TYPES) {
    roll -= entry.weight;
    if (roll < 0) return entry;
  }
  return TYPES[0] as TypeTemplates;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
