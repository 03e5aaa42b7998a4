import { describe, expect, it } from 'vitest';
import { findDate, temporalRule } from '../../../src/engine/extraction/index.js';
import { extractFrom, RECORDED_AT } from './user-turn.js';

const day = (text: string) => findDate(text, RECORDED_AT)?.date.toISOString().slice(0, 10);

describe('findDate', () => {
  // RECORDED_AT is Wednesday 2026-11-18.
  it('resolves calendar dates, with or without a year', () => {
    expect(day('on 2026-12-03')).toBe('2026-12-03');
    expect(day('on December 3')).toBe('2026-12-03');
    expect(day('on Dec 3rd, 2027')).toBe('2027-12-03');
    expect(day('the 5th of January')).toBe('2027-01-05');
    expect(day('March 3')).toBe('2027-03-03');
  });

  it('resolves relative days and weekdays', () => {
    expect(day('today')).toBe('2026-11-18');
    expect(day('tomorrow')).toBe('2026-11-19');
    expect(day('the day after tomorrow')).toBe('2026-11-20');
    expect(day('next Friday')).toBe('2026-11-20');
    expect(day('on Wednesday')).toBe('2026-11-25');
    expect(day('this Wednesday')).toBe('2026-11-18');
    expect(day('in 3 days')).toBe('2026-11-21');
    expect(day('in two weeks')).toBe('2026-12-02');
    expect(day('next week')).toBe('2026-11-25');
    expect(day('next month')).toBe('2026-12-01');
  });

  it('answers null without a date, and for impossible dates', () => {
    expect(findDate('I like trains', RECORDED_AT)).toBeNull();
    expect(findDate('on 2026-02-30', RECORDED_AT)).toBeNull();
  });
});

describe('temporalRule', () => {
  it('records an upcoming event with its date and an expiry the day after', async () => {
    const [memory, ...rest] = await extractFrom(
      'My flight to Tokyo is on December 3.',
      temporalRule,
    );
    expect(rest).toEqual([]);
    expect(memory).toMatchObject({
      memoryType: 'temporal_events',
      content: 'My flight to Tokyo is on December 3',
      eventDate: new Date('2026-12-03T00:00:00Z'),
      validUntil: new Date('2026-12-04T00:00:00Z'),
      temporalCategory: 'temporal_fact',
      scope: 'user',
    });
  });

  it('keeps the whole sentence when the date is in another clause', async () => {
    const memories = await extractFrom('Next Friday, I have a dentist appointment.', temporalRule);
    expect(memories.map((memory) => memory.content)).toEqual([
      'Next Friday, I have a dentist appointment',
    ]);
    expect(memories[0]?.eventDate).toEqual(new Date('2026-11-20T00:00:00Z'));
  });

  it('ignores past dates, questions and assistant turns', async () => {
    expect(await extractFrom('I went to the dentist yesterday.', temporalRule)).toEqual([]);
    expect(await extractFrom('Can you book it for tomorrow?', temporalRule)).toEqual([]);
    expect(
      await extractFrom('Your flight is on December 3.', temporalRule, { role: 'assistant' }),
    ).toEqual([]);
  });
});

describe('temporal event subject keys', () => {
  it('reads a bare weekday in the past tense as the last one: an episode, not an event to come', async () => {
    const [migration] = await extractFrom('spent sunday porting the backend to Deno');
    expect(migration?.memoryType).not.toBe('temporal_events');
    expect(migration?.validUntil ?? null).toBeNull();
    // A scheduled thing, or a word that puts the day ahead, keeps the coming one.
    for (const ahead of [
      'I phoned the clinic, the appointment is on Friday',
      'we packed already, flying out on Saturday next',
      "I'll finish the deck on Monday",
    ]) {
      expect(await extractFrom(ahead, temporalRule), ahead).toHaveLength(1);
    }
  });

  it('names the event, so a reschedule shares the key of the original', async () => {
    const key = async (content: string) =>
      (await extractFrom(content, temporalRule))[0]?.subjectKey;
    expect(await key('My dentist appointment is on Friday.')).toBe('event:dentist_appointment');
    expect(await key('I moved my dentist appointment to Monday.')).toBe(
      'event:dentist_appointment',
    );
    expect(await key('The team meeting got pushed to Thursday.')).toBe('event:team_meeting');
    expect(await key('I have a job interview with Google next week.')).toBe(
      'event:job_interview_google',
    );
  });

  it('keeps the destination in the key but never the date', async () => {
    const key = async (content: string) =>
      (await extractFrom(content, temporalRule))[0]?.subjectKey;
    expect(await key('My flight to Tokyo is on December 3.')).toBe('event:flight_tokyo');
    expect(await key('My flight to Lisbon is on December 5.')).toBe('event:flight_lisbon');
    expect(await key('My next appointment is tomorrow.')).toBe('event:appointment');
  });

  it('leaves the key empty when no event is named: nothing is superseded', async () => {
    const [memory] = await extractFrom('I am flying out tomorrow.', temporalRule);
    expect(memory?.subjectKey).toBe('');
  });

  it('reads a start date as the day something begins to hold, with no end', async () => {
    const [memory] = await extractFrom(
      'The new lease is signed, starting December 6 the rent is $1,990.',
      temporalRule,
    );
    expect(memory?.eventDate).toEqual(new Date('2026-12-06T00:00:00Z'));
    expect(memory?.validUntil).toBeNull();
  });

  it('dates only the part that holds the date, not a statement about someone else joined by a comma', async () => {
    const memories = await extractFrom(
      'Until December 20 the Oakwood office is our venue, Priya booked the whole floor.',
    );
    expect(memories.map((memory) => [memory.memoryType, memory.content])).toEqual([
      ['temporal_events', 'Until December 20 the Oakwood office is our venue'],
      ['facts', 'Priya booked the whole floor'],
    ]);
    expect(memories[0]?.validUntil?.toISOString()).toBe('2026-12-21T00:00:00.000Z');
    // Priya's booking is no event of that day and does not end with it.
    expect(memories[1]?.validUntil).toBeNull();
    expect(memories[1]?.eventDate).toBeNull();
  });

  it('leaves a routine on a weekday to the other rules: it is no one-day event', async () => {
    for (const routine of [
      'I do yoga Tuesday evenings.',
      'Yoga moved to Thursday mornings.',
      'I have pottery every Saturday.',
      'I work from home on Fridays.',
    ]) {
      expect(await extractFrom(routine, temporalRule)).toEqual([]);
    }
    // A single weekday is still one dated event.
    expect(await extractFrom('My dentist appointment is on Friday.', temporalRule)).toHaveLength(1);
  });
});
