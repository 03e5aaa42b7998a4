import { describe, expect, it } from 'vitest';
import { eventDays, holdsOnEventDay } from '../../src/engine/time-overlap.js';
import { daysFromNow } from '../support/relative-dates.js';

const DAY_MS = 86_400_000;
const now = new Date();
const midnight = (date: Date) => new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
const isoDay = (days: number) => daysFromNow(days, now).toISOString().slice(0, 10);

describe('eventDays', () => {
  it('reads the ISO dates among the tool arguments, nested or with a time', () => {
    const days = eventDays(
      {
        toolArgs: { check_in: isoDay(3), legs: [{ depart: `${isoDay(5)}T07:10` }], guests: 2 },
        content: '',
      },
      now,
    );
    expect(days.map((day) => day.toISOString())).toEqual([
      midnight(daysFromNow(3, now)).toISOString(),
      midnight(daysFromNow(5, now)).toISOString(),
    ]);
  });

  it('falls back to the day a turn names, and finds none in a turn without one', () => {
    expect(
      eventDays({ toolArgs: null, content: 'can you move it to tomorrow?' }, now),
    ).toHaveLength(1);
    expect(eventDays({ toolArgs: { city: 'Lisbon' }, content: 'book it' }, now)).toEqual([]);
  });

  it('reads a day in words in a short argument, and a named week as its seven days', () => {
    expect(eventDays({ toolArgs: { when: 'tomorrow' }, content: '' }, now)).toHaveLength(1);
    const week = eventDays(
      { toolArgs: { window: 'next week', attendee: 'Ana' }, content: '' },
      now,
    );
    expect(week).toHaveLength(2);
    expect(((week[1]?.getTime() ?? 0) - (week[0]?.getTime() ?? 0)) / DAY_MS).toBe(6);
    // A long text is a message, not a time.
    const note = 'Remind Ana that the launch moved and the review is tomorrow, thanks';
    expect(eventDays({ toolArgs: { message: note }, content: '' }, now)).toEqual([]);
  });

  it('spans a plan given only its length from today, and reads no span in a rate', () => {
    const plan = eventDays({ toolArgs: { sport: 'cycling', weeks: 8 }, content: '' }, now);
    expect(plan.map((day) => day.toISOString())).toEqual([
      midnight(now).toISOString(),
      midnight(daysFromNow(56, now)).toISOString(),
    ]);
    expect(
      eventDays({ toolArgs: { duration_days: 10, destination: 'Oslo' }, content: '' }, now),
    ).toHaveLength(2);
    expect(eventDays({ toolArgs: { sessions_per_week: 3 }, content: '' }, now)).toEqual([]);
    expect(eventDays({ toolArgs: { frequency_weeks: 4 }, content: '' }, now)).toEqual([]);
    // Dates win over a length.
    expect(eventDays({ toolArgs: { start: isoDay(2), weeks: 8 }, content: '' }, now)).toHaveLength(
      1,
    );
  });

  it('holds a race inside a plan of some weeks', () => {
    const race = { eventDate: midnight(daysFromNow(40, now)), validUntil: null, createdAt: now };
    const plan = eventDays({ toolArgs: { weeks: 6 }, content: '' }, now);
    expect(holdsOnEventDay(race, plan)).toBe(true);
    expect(holdsOnEventDay(race, eventDays({ toolArgs: { weeks: 4 }, content: '' }, now))).toBe(
      false,
    );
  });
});

describe('holdsOnEventDay', () => {
  const said = daysFromNow(-5, now);
  const on = (days: number) => [midnight(daysFromNow(days, now))];

  it('holds from when a statement with an end was said until its last day', () => {
    // "no driving until <in six days>": the temporal rule dates it by its last day.
    const ban = {
      createdAt: said,
      eventDate: midnight(daysFromNow(6, now)),
      validUntil: midnight(daysFromNow(7, now)),
    };
    expect(holdsOnEventDay(ban, on(1))).toBe(true);
    expect(holdsOnEventDay(ban, on(6))).toBe(true);
    expect(holdsOnEventDay(ban, on(7))).toBe(false);
  });

  it('holds within a range from its first day, not before', () => {
    const stay = {
      createdAt: said,
      eventDate: midnight(daysFromNow(2, now)),
      validUntil: midnight(daysFromNow(9, now)),
    };
    expect(holdsOnEventDay(stay, on(1))).toBe(false);
    expect(holdsOnEventDay(stay, on(4))).toBe(true);
  });

  it('reads an event with two dates as every day between them', () => {
    const span = [midnight(daysFromNow(0, now)), midnight(daysFromNow(7, now))];
    // Jury duty on days 2 to 4, summoned days ago: inside a search from today to day 7.
    const jury = {
      createdAt: said,
      eventDate: midnight(daysFromNow(2, now)),
      validUntil: midnight(daysFromNow(5, now)),
    };
    expect(holdsOnEventDay(jury, span)).toBe(true);
    expect(holdsOnEventDay(jury, on(0))).toBe(false);
    const appointment = {
      createdAt: said,
      eventDate: midnight(daysFromNow(6, now)),
      validUntil: null,
    };
    expect(holdsOnEventDay(appointment, span)).toBe(true);
    // Over before the span starts, or only after it ends.
    const leave = { createdAt: said, eventDate: null, validUntil: midnight(daysFromNow(-1, now)) };
    expect(holdsOnEventDay(leave, span)).toBe(false);
    const later = { createdAt: said, eventDate: midnight(daysFromNow(8, now)), validUntil: null };
    expect(holdsOnEventDay(later, span)).toBe(false);
  });

  it('matches a dated event on its own day only, and nothing without dates', () => {
    const appointment = {
      createdAt: said,
      eventDate: midnight(daysFromNow(3, now)),
      validUntil: null,
    };
    expect(holdsOnEventDay(appointment, on(3))).toBe(true);
    expect(holdsOnEventDay(appointment, on(4))).toBe(false);
    expect(holdsOnEventDay({ createdAt: said, eventDate: null, validUntil: null }, on(3))).toBe(
      false,
    );
    expect(holdsOnEventDay(appointment, [])).toBe(false);
  });
});
