import { describe, expect, it } from 'vitest';
import { words } from '../../../src/engine/query-planner.js';
import { splitIdentifiers } from '../../../src/engine/semantic/identifier-split.js';
import { semanticWords } from '../../../src/engine/semantic/semantic-similarity.js';

describe('splitIdentifiers', () => {
  it('splits camelCase identifiers, acronyms included', () => {
    expect(splitIdentifiers('bookHotelRoom')).toBe('book Hotel Room');
    expect(splitIdentifiers('getHTTPResponse')).toBe('get HTTP Response');
    expect(splitIdentifiers('use returnShippingAddress here')).toBe(
      'use return Shipping Address here',
    );
  });

  it('keeps names with a capital inside as one word', () => {
    for (const name of ['ThinkPad', 'PayPal', 'GitHub', 'iPhone', 'McDonald', 'eBay']) {
      expect(splitIdentifiers(`a ${name} b`)).toBe(`a ${name} b`);
    }
  });

  it('gives ranking a brand as one word, so its halves match nothing', () => {
    expect(semanticWords('Lenovo ThinkPad X1 Carbon')).toEqual([
      'lenovo',
      'thinkpad',
      'x1',
      'carbon',
    ]);
    expect(words('Pay with PayPal')).toEqual(['pay', 'paypal']);
    expect(semanticWords('a cracked ThinkPad hinge')).not.toContain('pad');
  });
});
