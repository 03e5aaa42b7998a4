import { describe, expect, it } from 'vitest';
import { findValidity } from '../../../src/engine/extraction/validity.js';
import { extractFrom, RECORDED_AT } from './user-turn.js';

// RECORDED_AT is Wednesday 2026-11-18; the day after the last valid day is the end.
const day = (sentence: string) =>
  findValidity(sentence, RECORDED_AT)?.validUntil.toISOString().slice(0, 10) ?? null;

describe('findValidity', () => {
  it('reads an end stated with through, until, till, expires or ends', () => {
    expect(day('The coupon is valid through 2026-12-10.')).toBe('2026-12-11');
    expect(day('I am working from the Oslo office until December 2.')).toBe('2026-12-03');
    expect(day('The trial runs till Friday.')).toBe('2026-11-21');
    expect(day('My parking permit expires on January 31.')).toBe('2027-02-01');
    expect(day('Her maternity cover ends March 1, 2027.')).toBe('2027-03-02');
  });

  it('reads a range, ending after its last day, across a year end', () => {
    const range = findValidity('I am in Tokyo from December 28 to January 3.', RECORDED_AT);
    expect(range?.validFrom?.toISOString().slice(0, 10)).toBe('2026-12-28');
    expect(range?.validUntil.toISOString().slice(0, 10)).toBe('2027-01-04');
  });

  it('reads a span from the day it was said', () => {
    expect(day('I will use the spare laptop for the next two weeks.')).toBe('2026-12-03');
    expect(day('The gym is closed for 3 days.')).toBe('2026-11-22');
  });

  it('names no end where the sentence names none, or the date is not the end', () => {
    expect(day('I love long weekends.')).toBeNull();
    expect(day('Wait until I hear back from the landlord on Friday.')).toBeNull();
  });
});

describe('validity in extraction', () => {
  it('gives a statement that ended before it was read its end, so it is never served as current', async () => {
    const [memory] = await extractFrom('The staff discount code was valid through November 10.');
    expect(memory?.validUntil?.toISOString().slice(0, 10)).toBe('2027-11-11');
    const [past] = await extractFrom('The staff discount code was valid through 2026-11-10.');
    expect(past?.validUntil?.getTime()).toBeLessThan(RECORDED_AT.getTime());
  });

  it('makes a ranged plan hold through its last day, not only its first', async () => {
    const memories = await extractFrom('I am visiting my parents from November 20 to November 27.');
    const event = memories.find((memory) => memory.memoryType === 'temporal_events');
    expect(event?.eventDate?.toISOString().slice(0, 10)).toBe('2026-11-20');
    expect(event?.validUntil?.toISOString().slice(0, 10)).toBe('2026-11-28');
  });

  it('dates a ranged fact by its first day, so it is known when it starts to hold', async () => {
    const memories = await extractFrom(
      'My address is 12 Elm Street from November 20 to November 27.',
    );
    const fact = memories.find((memory) => memory.memoryType === 'facts');
    expect(fact?.eventDate?.toISOString().slice(0, 10)).toBe('2026-11-20');
    expect(fact?.validUntil?.toISOString().slice(0, 10)).toBe('2026-11-28');
  });
});
