import { describe, expect, it } from 'vitest';
import { asksForHome, HOME_STATEMENT } from '../../src/engine/home-statements.js';

describe('HOME_STATEMENT', () => {
  it('reads where the user lives, and a move', () => {
    for (const text of [
      "I'm in Denver, so mountain time please",
      'We live in Porto now',
      'Finally relocated to Montreal',
      'I moved from Berlin to Lisbon last month',
      'New place in San Jose, close to SJC',
      'unpacked the last box in our Lisbon flat',
    ]) {
      expect(HOME_STATEMENT.test(text), text).toBe(true);
    }
  });

  it('reads no home in a trip, a preference or a lower-case place', () => {
    for (const text of [
      'Flying to Denver on Friday',
      'I moved the meeting to Thursday afternoon',
      'Prefers hotels in the old town',
      "i'm in a meeting",
    ]) {
      expect(HOME_STATEMENT.test(text), text).toBe(false);
    }
  });
});

describe('asksForHome', () => {
  it('sees an empty origin or the word home', () => {
    expect(asksForHome({ toolArgs: { origin: null, destination: 'PDX' }, content: '' })).toBe(true);
    expect(asksForHome({ toolArgs: null, content: 'Flights to Tokyo, leaving from home' })).toBe(
      true,
    );
    expect(asksForHome({ toolArgs: { pickup: 'home' }, content: '' })).toBe(true);
    expect(asksForHome({ toolArgs: { title: 'sync', timezone: null }, content: '' })).toBe(true);
  });

  it('leaves alone a trip whose start is given', () => {
    expect(asksForHome({ toolArgs: { origin: 'SFO', destination: 'PDX' }, content: '' })).toBe(
      false,
    );
    expect(asksForHome({ toolArgs: { destination: null }, content: 'book it' })).toBe(false);
  });
});
