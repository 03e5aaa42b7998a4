import { setTimeout as sleep } from 'node:timers/promises';

/** How long the pretend airline takes to book, ms: the window anticipation works in. */
export const BOOKING_MS = 300;

export interface Booking {
  booked: true;
  destination: string;
  seat: string;
  confirmation: string;
}

/**
 * The demo's `book_flight` tool body: a pretend airline call. The service retrieves the
 * context for the next model call while this runs.
 */
export async function bookFlight(input: { destination: string; seat?: string }): Promise<Booking> {
  await sleep(BOOKING_MS);
  return {
    booked: true,
    destination: input.destination,
    seat: input.seat ?? 'any',
    confirmation: `FS-${input.destination.slice(0, 3).toUpperCase()}-0042`,
  };
}
