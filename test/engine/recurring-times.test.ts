import { describe, expect, it } from 'vitest';
import {
  eventWeekTimes,
  recurrenceOf,
  recursAtEventTime,
} from '../../src/engine/recurring-times.js';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
// 2027-03-05 is a Friday, 2027-03-06 a Saturday, 2027-03-08 a Monday.
const FRIDAY = day('2027-03-05');
const SATURDAY = day('2027-03-06');
const MONDAY = day('2027-03-08');

function at(args: Record<string, unknown>, days: Date[] = [], content = '') {
  return eventWeekTimes({ toolArgs: args, content }, days);
}

describe('recurrenceOf', () => {
  it('reads habits on named days, singular after every/each, plural alone', () => {
    expect(recurrenceOf('Choir practice every Tuesday')).toMatchObject({ namedDays: true });
    expect(recurrenceOf('I volunteer at the shelter on Saturdays')?.days).toBe(1 << 6);
    expect(recurrenceOf('Swim club Monday and Wednesday evenings')?.days).toBe((1 << 1) | (1 << 3));
    expect(recurrenceOf('we have family dinner on weekends')?.days).toBe((1 << 0) | (1 << 6));
  });

  it('reads daily and workweek habits as ranges, with the part of the day they give', () => {
    expect(recurrenceOf('The baby sleeps 1-3pm every afternoon')).toEqual({
      days: 0b1111111,
      parts: 2,
      namedDays: false,
    });
    expect(recurrenceOf('I walk the dog at 7am daily')).toMatchObject({
      parts: 1,
      namedDays: false,
    });
    expect(recurrenceOf('I drop the kids at school at 8:15 every weekday')).toMatchObject({
      days: 0b0111110,
      parts: 1,
    });
  });

  it('leaves one-off dates and frequencies without a day alone', () => {
    expect(recurrenceOf('Dentist appointment on Friday at 10:00')).toBeUndefined();
    expect(recurrenceOf('I take my pills twice a day')).toBeUndefined();
    expect(recurrenceOf('Moved to Denver last year')).toBeUndefined();
  });
});

describe('eventWeekTimes', () => {
  it('takes the weekdays of the event days, every day of a span', () => {
    expect(at({}, [FRIDAY]).days).toBe(1 << 5);
    expect(at({}, [FRIDAY, MONDAY]).days).toBe(0b1100011);
    expect(at({}, [day('2027-03-01'), day('2027-03-20')]).days).toBe(0b1111111);
  });

  it('reads iCalendar rules and named weekdays in the arguments', () => {
    expect(at({ rrule: 'FREQ=WEEKLY;BYDAY=MO,TH' }).days).toBe((1 << 1) | (1 << 4));
    expect(at({ rrule: 'FREQ=MONTHLY;BYDAY=-1FR' }).days).toBe(1 << 5);
    expect(at({ when: 'Sunday mornings' }).days).toBe(1 << 0);
  });

  it('reads the part of the day from clock times and words', () => {
    expect(at({ start: '2027-03-05T15:00' }, [FRIDAY]).parts).toBe(2);
    expect(at({ window: '08:00-10:30' }, [FRIDAY]).parts).toBe(1);
    expect(at({ time_of_day: 'evening' }, [FRIDAY]).parts).toBe(4);
    expect(at({ date: '2027-03-05' }, [FRIDAY]).parts).toBe(0);
  });
});

function habit(text: string) {
  const recurrence = recurrenceOf(text);
  if (!recurrence) throw new Error(`no recurrence read from "${text}"`);
  return recurrence;
}

describe('recursAtEventTime', () => {
  const choir = habit('Choir practice every Friday');
  const nap = habit('She naps 1-3pm every afternoon');
  const dogWalk = habit('I walk the dog every day');
  const yoga = habit('Yoga on Thursday mornings');

  it('holds a habit of named days on those days, whatever the time', () => {
    expect(recursAtEventTime(choir, at({}, [FRIDAY]))).toBe(true);
    expect(recursAtEventTime(choir, at({ rrule: 'FREQ=WEEKLY;BYDAY=FR' }))).toBe(true);
    expect(recursAtEventTime(choir, at({}, [SATURDAY]))).toBe(false);
  });

  it('asks the same part of the day when both give one', () => {
    const thursday = day('2027-03-04');
    expect(recursAtEventTime(yoga, at({ start: '2027-03-04T07:30' }, [thursday]))).toBe(true);
    expect(recursAtEventTime(yoga, at({ start: '2027-03-04T19:00' }, [thursday]))).toBe(false);
  });

  it('holds a daily habit on a day whose time is still to be chosen', () => {
    const lunch = habit('I keep lunch free every day, 12-1');
    expect(recursAtEventTime(lunch, at({ date: '2027-03-08', start_time: null }, [MONDAY]))).toBe(
      true,
    );
    expect(recursAtEventTime(lunch, at({ date: '2027-03-08' }, [MONDAY]))).toBe(false);
  });

  it('holds a daily habit only at the part of the day it names', () => {
    expect(recursAtEventTime(nap, at({ arrival_window: '13:00-16:00' }, [MONDAY]))).toBe(true);
    expect(recursAtEventTime(nap, at({ arrival_window: '09:00-11:00' }, [MONDAY]))).toBe(false);
    expect(recursAtEventTime(nap, at({ date: '2027-03-08' }, [MONDAY]))).toBe(false);
    expect(recursAtEventTime(dogWalk, at({ start: '2027-03-08T15:00' }, [MONDAY]))).toBe(false);
  });
});
