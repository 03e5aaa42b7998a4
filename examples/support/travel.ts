import type { EarlierConversation } from './remember.js';

/**
 * What the examples share: a user who told an earlier conversation how she flies, and a
 * flight-booking tool. Each example names its own user and thread, so runs do not mix.
 */
export function earlierTrip(userId: string, customerId?: string): EarlierConversation {
  return {
    threadId: `${userId}-earlier-trip`,
    userId,
    ...(customerId !== undefined ? { customerId } : {}),
    turns: [
      { role: 'user', content: 'I always fly aisle seats.' },
      { role: 'assistant', content: 'Noted: aisle seats from now on.' },
    ],
    remembers: 'aisle',
  };
}

export const SYSTEM_PROMPT = 'You are a travel agent. Use the tools to book travel for the user.';
export const REQUEST = 'Book me a flight to Lisbon for the conference next week.';

/** The stand-in for a booking API: what the tool returns. */
export async function bookFlight(input: { destination: string; seat?: string }) {
  return { booked: true, destination: input.destination, seat: input.seat ?? 'any' };
}
