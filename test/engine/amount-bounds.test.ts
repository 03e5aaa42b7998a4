import { describe, expect, it } from 'vitest';
import {
  amountBounds,
  boundApplies,
  eventAmounts,
  parseMoney,
} from '../../src/engine/amount-bounds.js';

describe('parseMoney', () => {
  it('reads amounts as people write them', () => {
    expect(parseMoney('$50k')).toBe(50_000);
    expect(parseMoney('€1,200')).toBe(1200);
    expect(parseMoney('2.5m')).toBe(2_500_000);
    expect(parseMoney('300 euros')).toBe(300);
    expect(parseMoney('no number')).toBeNaN();
  });
});

describe('amountBounds', () => {
  it('finds thresholds and caps stated over money', () => {
    expect(amountBounds('Purchases above $2,000 need the CFO to sign')).toEqual([
      { kind: 'over', amount: 2000 },
    ]);
    expect(amountBounds('We budgeted 4k for the offsite')).toEqual([{ kind: 'cap', amount: 4000 }]);
    expect(amountBounds('Keep groceries under 150 dollars a week')).toEqual([
      { kind: 'cap', amount: 150 },
    ]);
  });

  it('finds none in amounts without a bound, nor in bounds that are no money', () => {
    expect(amountBounds('The mortgage is $1,900 a month')).toEqual([]);
    expect(amountBounds('Never flights longer than six hours')).toEqual([]);
    expect(amountBounds('No more than 3 meetings a day')).toEqual([]);
  });
});

describe('eventAmounts', () => {
  it('reads money-like argument keys and money written in values and the turn', () => {
    expect(
      eventAmounts({ toolArgs: { vendor: 'Acme', total_price: 12_500 }, content: '' }),
    ).toEqual([12_500]);
    expect(eventAmounts({ toolArgs: { amount: '1,200' }, content: '' })).toEqual([1200]);
    expect(eventAmounts({ toolArgs: null, content: 'is a $75 jacket ok?' })).toEqual([75]);
  });

  it('takes no counts, durations or ids for money', () => {
    expect(
      eventAmounts({ toolArgs: { guests: 4, nights: 3, room: '212', zip: '02139' }, content: '' }),
    ).toEqual([]);
  });
});

describe('boundApplies', () => {
  it('brings a threshold into play when an amount crosses it, a cap when an amount is of its order', () => {
    const threshold = [{ kind: 'over' as const, amount: 2000 }];
    expect(boundApplies(threshold, [2500])).toBe(true);
    expect(boundApplies(threshold, [1500])).toBe(false);
    const cap = [{ kind: 'cap' as const, amount: 150 }];
    expect(boundApplies(cap, [90])).toBe(true);
    expect(boundApplies(cap, [5])).toBe(false);
    expect(boundApplies(cap, [40_000])).toBe(false);
  });
});
