import { describe, expect, it } from 'vitest';
import { toAnyWordQuery } from '../../src/store/text-query.js';

describe('toAnyWordQuery', () => {
  it('ORs the distinct words of a question, lower-cased', () => {
    expect(toAnyWordQuery('Where do I like to eat in Paris? Paris!')).toBe(
      'where | do | i | like | to | eat | in | paris',
    );
  });

  it('keeps no tsquery operator or quote from the input', () => {
    expect(toAnyWordQuery('o\'brien & (tea | !coffee) <-> *:AB \\ "x"')).toBe(
      'o | brien | tea | coffee | ab | x',
    );
  });

  it('keeps letters of any script and digits', () => {
    expect(toAnyWordQuery('Café in São Paulo 2025, 東京')).toBe(
      'café | in | são | paulo | 2025 | 東京',
    );
  });

  it('answers an empty query when no word is left, and caps long input', () => {
    expect(toAnyWordQuery(' &|!() ')).toBe('');
    const many = Array.from({ length: 100 }, (_, index) => `word${index}`).join(' ');
    expect(toAnyWordQuery(many).split(' | ')).toHaveLength(32);
  });
});
