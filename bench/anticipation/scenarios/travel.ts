import { assistant, type ScenarioInput, user } from '../scenario.js';

export const TRAVEL: ScenarioInput[] = [
  {
    id: 'travel-moved-home-city',
    domain: 'travel',
    title: 'a move to another city replaces the home city used for departures',
    tenant: 'consumer',
    user: 'maya',
    supersession: true,
    history: [
      {
        user: 'maya',
        turns: [
          user('Hi! I live in Berlin and I usually fly out of BER.'),
          assistant('Got it, BER as your home airport. Anything else I should know?'),
          user('I prefer aisle seats, I get up a lot on long flights.'),
          assistant('Noted: aisle seats.'),
        ],
      },
      {
        user: 'jonas',
        turns: [
          user(
            'I live in Lisbon and I always want a window seat, I like to sleep against the wall.',
          ),
          assistant('Window seats from Lisbon, noted.'),
        ],
      },
      {
        user: 'maya',
        turns: [
          user('Quick update for my profile: I moved from Berlin to Lisbon last month.'),
          assistant('Congratulations on the move! I will use Lisbon from now on.'),
          user('Thanks! So LIS is my home airport now.'),
        ],
      },
    ],
    probe: {
      eventType: 'user_message',
      content: 'Can you find me flights to Tokyo in March? Leaving from home as usual.',
    },
    mustContain: ['Lisbon', 'aisle'],
    mustNotContain: [
      { phrase: 'in Berlin', kind: 'stale' },
      { phrase: 'window seat', kind: 'other-user' },
    ],
  },
  {
    id: 'travel-book-flight-airline-and-meal',
    domain: 'travel',
    title: 'booking a flight calls up the airline loyalty and the meal request',
    tenant: 'consumer',
    user: 'daniel',
    history: [
      {
        user: 'daniel',
        turns: [
          user("I'm flying to Lisbon for a conference in May, can you keep an eye on fares?"),
          assistant('Sure, I will watch fares to Lisbon for May.'),
          user("I always fly TAP when I can, I'm Gold on Miles&Go."),
          user("Also I'm vegetarian, so please request the veggie meal."),
          assistant('TAP first, vegetarian meal. Will do.'),
        ],
      },
      {
        user: 'sofia',
        turns: [
          user('I hate TAP, the delays are awful. I always book easyJet to Lisbon.'),
          user("I'm allergic to shellfish, keep that in mind for any meals."),
        ],
      },
      {
        tenant: 'rival',
        user: 'daniel',
        turns: [
          user("I'm vegan and I always fly Ryanair, cheapest is best."),
          assistant('Ryanair and vegan, noted.'),
        ],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'book_flight',
      toolArgs: { destination: 'Lisbon', departure_date: '2026-05-11', passengers: 1 },
    },
    mustContain: ['TAP', 'vegetarian'],
    mustNotContain: [
      { phrase: 'easyJet', kind: 'other-user' },
      { phrase: 'shellfish', kind: 'other-user' },
      { phrase: 'Ryanair', kind: 'other-tenant' },
    ],
  },
  {
    id: 'travel-hotel-needs',
    domain: 'travel',
    title: 'a hotel booking inside the trip conversation calls up needs told in an earlier one',
    tenant: 'consumer',
    user: 'priya',
    history: [
      {
        user: 'priya',
        turns: [
          user("For hotels I need a quiet room, I'm a very light sleeper."),
          assistant('Quiet rooms, away from lifts and the street. Got it.'),
          user("And I'm allergic to feathers, so no down pillows please."),
        ],
      },
      {
        user: 'priya',
        turns: [
          user('My partner and I are going to Rome in October for our anniversary!'),
          assistant('How lovely! Do you want me to look at hotels?'),
          user('Yes, something romantic near Trastevere would be perfect.'),
        ],
      },
      {
        user: 'marco',
        turns: [
          user('I prefer hostels near Termini, cheapest possible, I only sleep there.'),
          assistant('Budget hostels near Termini, noted.'),
        ],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'book_hotel',
      toolArgs: { city: 'Rome', check_in: '2026-10-09', nights: 3, guests: 2 },
      conversation: 1,
    },
    mustContain: ['quiet', 'feathers'],
    mustNotContain: [{ phrase: 'Termini', kind: 'other-user' }],
  },
  {
    id: 'travel-new-passport',
    domain: 'travel',
    title: 'online check-in uses the renewed passport, not the expired one',
    tenant: 'consumer',
    user: 'leo',
    supersession: true,
    history: [
      {
        user: 'leo',
        turns: [
          user('My passport number is X1234567, it expires in June.'),
          assistant('Saved, I will remind you before it expires.'),
        ],
      },
      {
        user: 'leo',
        turns: [
          user('Good news, the renewal came through.'),
          user('My passport number is K9876543 now, valid for ten years.'),
          assistant('Updated your passport details.'),
        ],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'online_checkin',
      toolArgs: { airline: 'KLM', booking_reference: 'QX7P2L', document_type: 'passport' },
    },
    mustContain: ['K9876543'],
    mustNotContain: [{ phrase: 'X1234567', kind: 'stale' }],
  },
  {
    id: 'travel-car-rental-family',
    domain: 'travel',
    title: 'a car rental calls up the transmission and the child seat',
    tenant: 'consumer',
    user: 'emma',
    history: [
      {
        user: 'emma',
        turns: [
          user("We're doing the Algarve in August, flying into Faro."),
          assistant('Nice! Do you need a car there?'),
          user("Yes. I can't drive manual, so it has to be an automatic."),
          user('I have a five year old, so we need a child seat too.'),
        ],
      },
      {
        user: 'tom',
        turns: [
          user('I always rent convertibles on holiday, manual is fine.'),
          assistant('Convertible, manual ok. Got it.'),
        ],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'rent_car',
      toolArgs: { pickup_location: 'Faro Airport', pickup_date: '2026-08-03', days: 10 },
    },
    mustContain: ['automatic', 'child seat'],
    mustNotContain: [{ phrase: 'convertible', kind: 'other-user' }],
  },
];
