import type { SeededRandom } from './seeded-random.js';

/**
 * Word lists the synthetic memories and chat turns are made of. Wide enough that
 * full-text search sees a realistic spread of term frequencies: some words (cities,
 * "flight") are common across users, others (a dish, a colleague) are rare.
 */
const SLOTS = {
  name: [
    'Alice', 'Bruno', 'Chloe', 'Dmitri', 'Elena', 'Farah', 'Gustavo', 'Hana', 'Ivan', 'Jonas',
    'Keiko', 'Liam', 'Maya', 'Nadia', 'Omar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tariq',
  ],
  person: [
    'Anna', 'Ben', 'Carla', 'David', 'Emma', 'Felix', 'Grace', 'Hugo', 'Isabel', 'Jakob',
    'Lena', 'Marco', 'Nora', 'Oscar', 'Paula', 'Rafael', 'Sofia', 'Tom', 'Vera', 'Yusuf',
  ],
  city: [
    'Lisbon', 'Porto', 'Madrid', 'Barcelona', 'Paris', 'Lyon', 'Berlin', 'Munich', 'Vienna',
    'Prague', 'Amsterdam', 'Copenhagen', 'Stockholm', 'Oslo', 'Dublin', 'Edinburgh', 'London',
    'Rome', 'Milan', 'Athens', 'Istanbul', 'Tokyo', 'Seoul', 'Singapore', 'Sydney', 'Toronto',
    'Montreal', 'Boston', 'Chicago', 'Denver', 'Seattle', 'Austin', 'Mexico City', 'Lima',
  ],
  job: [
    'nurse', 'software engineer', 'architect', 'teacher', 'data analyst', 'pharmacist',
    'product manager', 'lawyer', 'photographer', 'civil engineer', 'chef', 'accountant',
  ],
  airline: ['TAP', 'Lufthansa', 'KLM', 'Air France', 'Iberia', 'British Airways', 'SAS', 'Delta'],
  tier: ['silver', 'gold', 'platinum', 'basic'],
  allergen: ['peanuts', 'shellfish', 'gluten', 'lactose', 'penicillin', 'cats', 'pollen'],
  month: [
    'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December',
  ],
  car: ['Volvo estate', 'electric Renault', 'Toyota hybrid', 'old Golf', 'Tesla', 'Fiat Panda'],
  carClass: ['compact', 'economy', 'SUV', 'electric', 'premium'],
  seat: ['window', 'aisle', 'exit row', 'front row'],
  cuisine: [
    'Japanese', 'Italian', 'Portuguese', 'Thai', 'Indian', 'Mexican', 'Lebanese', 'Greek',
    'vegetarian', 'vegan', 'Ethiopian', 'Korean',
  ],
  dish: [
    'ramen', 'grilled sardines', 'pad thai', 'risotto', 'tacos al pastor', 'falafel', 'moussaka',
    'bibimbap', 'dal makhani', 'pastel de nata', 'sushi', 'shakshuka',
  ],
  landmark: [
    'the old town', 'the train station', 'the river', 'the conference centre', 'the airport',
    'the cathedral', 'the beach', 'the university',
  ],
  amenity: ['gym', 'quiet room', 'pool', 'late checkout', 'good desk', 'kitchenette'],
  partOfDay: ['morning', 'early afternoon', 'late afternoon'],
  weekday: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  style: ['short and direct', 'detailed with sources', 'in bullet points', 'friendly and casual'],
  occasion: ['wedding', 'conference', 'birthday', 'job interview', 'family reunion', 'marathon'],
  project: ['Atlas', 'Borealis', 'Cedar', 'Delta migration', 'Everest', 'Falcon', 'Greenhouse'],
  emotion: ['anxious', 'relieved', 'frustrated', 'excited', 'disappointed', 'proud', 'stressed'],
  hour: ['7:30', '8:15', '9:00', '10:45', '13:00', '14:30', '16:00', '18:20', '21:05'],
  count: ['two', 'three', 'four', 'five', 'six'],
} as const;

export type Slot = keyof typeof SLOTS;

/** Replaces each `{slot}` in `template` with a word drawn from that slot's list. */
export function fillTemplate(template: string, random: SeededRandom): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    if (!(slot in SLOTS)) throw new Error(`unknown template slot {${slot}}`);
    return random.pick(SLOTS[slot as Slot]);
  });
}
