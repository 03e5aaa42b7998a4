import { describe, expect, it } from 'vitest';
import { resolveDates, resolveDatesDeep } from '../../bench/anticipation/scenario-dates.js';

describe('resolveDates', () => {
  const probeDay = new Date('2030-02-27T12:00:00Z');

  it('writes each placeholder as a date that many days from the probe, across months', () => {
    expect(resolveDates('valid through {{date:-3}}, renews {{iso:2}}', probeDay)).toBe(
      'valid through February 24, 2030, renews 2030-03-01',
    );
  });

  it('resolves every string of a scenario, keys and other values untouched', () => {
    expect(
      resolveDatesDeep({ args: { day: '{{iso:+1}}', count: 2 }, list: ['{{date:0}}'] }, probeDay),
    ).toEqual({ args: { day: '2030-02-28', count: 2 }, list: ['February 27, 2030'] });
  });
});
