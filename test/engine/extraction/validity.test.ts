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

  it('reads "the next two weeks" without "for", "the next month" as one, from a start it names', () => {
    // Monday 2026-11-23 plus two weeks: the last day is Monday 2026-12-07.
    expect(day("it's the next two weeks starting monday, so my afternoons are gone")).toBe(
      '2026-12-08',
    );
    expect(day('no sugar for the next month')).toBe('2026-12-19');
    expect(day('I have been tired for days')).toBeNull();
  });

  it('lets a span outlast the one day of an event it dates', async () => {
    const [cut] = await extractFrom(
      'starting a cut today, 2100 calories a day for the next 4 weeks',
    );
    expect(cut?.validUntil?.toISOString().slice(0, 10)).toBe('2026-12-17');
  });

  it('reads a span that names what lasts it, but not one that was over when said', () => {
    expect(day('The vet says six weeks of strict crate rest for the dog.')).toBe('2026-12-31');
    expect(day('Urgent care put me on a 10-day course of antibiotics.')).toBe('2026-11-29');
    expect(day('Signed up for a two-week trial of the meal kits.')).toBe('2026-12-03');
    expect(day('After six weeks of physio my knee is fine.')).toBeNull();
    expect(day('I did three weeks of night shifts a year ago.')).toBeNull();
  });

  it('reads a range without "from", joined by to, through or a dash', () => {
    const jury = findValidity(
      'Summoned for jury duty, December 9 through December 11.',
      RECORDED_AT,
    );
    expect(jury?.validFrom?.toISOString().slice(0, 10)).toBe('2026-12-09');
    expect(jury?.validUntil.toISOString().slice(0, 10)).toBe('2026-12-12');
    expect(day('Main is locked 2026-11-30 to 2026-12-04 for the audit.')).toBe('2026-12-05');
    expect(day('Offsite May 2 - May 5.')).toBe('2027-05-06');
    // Two dates that are no range: the second is no end of the first.
    expect(day('Moved the call from December 3, lunch on December 5 instead.')).toBeNull();
  });

  it('reads the day someone is back as the first day the absence no longer holds', () => {
    expect(day('On parental leave from tomorrow, back December 14.')).toBe('2026-12-14');
    expect(day('Out sick, returning on Monday.')).toBe('2026-11-23');
    expect(day('My back surgery is on December 3.')).toBeNull();
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

describe('an end shared by the clauses of one turn', () => {
  const until = (memories: readonly { content: string; validUntil: Date | null }[], text: string) =>
    memories
      .find((memory) => memory.content.toLowerCase().includes(text))
      ?.validUntil?.toISOString()
      .slice(0, 10) ?? null;

  it('gives a clause that refers back ("while we are there") the end of the one before', async () => {
    const memories = await extractFrom(
      "We're at my sister's cabin for the next two weeks! Anything I order while we're there should go to 4 Pine Road.",
    );
    expect(until(memories, 'pine road')).toBe('2026-12-03');
  });

  it('gives the clause before a bare "it lasts through …" the end it states', async () => {
    const memories = await extractFrom(
      'Got the store card for the 0% intro rate. The promo lasts through December 1.',
    );
    expect(until(memories, 'intro rate')).toBe('2026-12-02');
    const jury = await extractFrom(
      'Of course I got called for jury duty. December 9 through December 11, no way out of it.',
    );
    expect(until(jury, 'jury duty')).toBe('2026-12-12');
  });

  it('keeps an end to its own clause when the next one is a statement of its own', async () => {
    const memories = await extractFrom(
      'We moved into the new flat last week. The lease runs through June 30, 2027.',
    );
    expect(until(memories, 'new flat')).toBeNull();
    const named = await extractFrom(
      'I use the blue bike to commute. Tom borrows it until December 1.',
    );
    expect(until(named, 'blue bike')).toBeNull();
  });
});
