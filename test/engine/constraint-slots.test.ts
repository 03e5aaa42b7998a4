import { describe, expect, it } from 'vitest';
import { asksForConstraints, statesConstraint } from '../../src/engine/constraint-slots.js';

describe('asksForConstraints', () => {
  it('sees an empty argument that asks for what the user needs or will not have', () => {
    expect(asksForConstraints({ toolArgs: { city: 'Oslo', special_requests: null } })).toBe(true);
    expect(asksForConstraints({ toolArgs: { dietaryRestrictions: '' } })).toBe(true);
    expect(asksForConstraints({ toolArgs: { access_notes: null } })).toBe(true);
    expect(asksForConstraints({ toolArgs: { allergies: [] } })).toBe(true);
  });

  it('leaves alone a filled one, another empty one, or no arguments', () => {
    expect(asksForConstraints({ toolArgs: { special_requests: 'late checkout' } })).toBe(false);
    expect(asksForConstraints({ toolArgs: { city: null, date: null } })).toBe(false);
    expect(asksForConstraints({ toolArgs: { keynotes: null } })).toBe(false);
    expect(asksForConstraints({ toolArgs: null })).toBe(false);
  });
});

describe('statesConstraint', () => {
  it('reads what the user cannot, will not or must do, and what they are bad with', () => {
    expect(statesConstraint("Dad can't manage stairs since the fall")).toBe(true);
    expect(statesConstraint('No shellfish, ever')).toBe(true);
    expect(statesConstraint("I'm bad with boats, I get seasick")).toBe(true);
    expect(statesConstraint('Loves jazz and old films')).toBe(false);
  });
});
