import { fillTemplate } from './bench-vocabulary.js';
import type { SeededRandom } from './seeded-random.js';

const USER_TURNS = [
  'Can you find me a flight to {city} on {weekday}, ideally before {hour}?',
  'I need a table at a {cuisine} restaurant near {landmark} for {count} people.',
  "Remind me what I told you about {person}'s {occasion}.",
  'Book a hotel in {city} close to {landmark}, I need a {amenity}.',
  'Move my call with {person} about {project} to {weekday} {partOfDay}.',
  'What is the cheapest {airline} fare to {city} in {month}?',
  'I am {emotion} about the {project} review, can you summarise the open items?',
];

const ASSISTANT_TURNS = [
  'I found {count} flights to {city} with {airline}; the earliest leaves at {hour}.',
  'Booked a table at a {cuisine} place near {landmark} for {count} on {weekday}.',
  'You mentioned {person} is planning a {occasion} in {city} in {month}.',
  'There is a hotel near {landmark} in {city} with a {amenity} and a {seat}-facing desk.',
  'Done: the {project} call with {person} is now on {weekday} at {hour}.',
  'The lowest {airline} fare to {city} in {month} is on a {weekday}.',
  'The {project} review has {count} open items; the budget one is the most urgent.',
];

/** The text of turn `turnIndex` of a conversation: users and the assistant alternate. */
export function chatTurn(
  turnIndex: number,
  random: SeededRandom,
): {
  role: 'user' | 'assistant';
  content: string;
} {
  const role = turnIndex % 2 === 0 ? 'user' : 'assistant';
  const templates = role === 'user' ? USER_TURNS : ASSISTANT_TURNS;
  return { role, content: fillTemplate(random.pick(templates), random) };
}

/** Search phrases an agent would fetch context with before answering. */
export const FETCH_QUERIES = [
  'flight to {city}',
  '{cuisine} restaurant near {landmark}',
  'allergies and diet',
  'hotel preferences {amenity}',
  "{person}'s {occasion}",
  'meeting schedule {weekday}',
  'frequent flyer status {airline}',
  '{project} deadline',
] as const;

export function fetchQuery(random: SeededRandom): string {
  return fillTemplate(random.pick(FETCH_QUERIES), random);
}
