import { describe, expect, it } from 'vitest';
import {
  changedSubject,
  markChanges,
  statementCloseness,
} from '../../../src/engine/extraction/index.js';
import { SemanticSimilarity } from '../../../src/engine/index.js';
import type { MemoryRecord } from '../../../src/store/records.js';
import { memory } from '../../support/memories.js';

const semantic = new SemanticSimilarity();

function stored(id: string, content: string, overrides: Partial<MemoryRecord> = {}): MemoryRecord {
  return {
    ...memory({ content }),
    clientId: 'default',
    id,
    supersededBy: null,
    createdAt: new Date(0),
    ...overrides,
  };
}

describe('markChanges', () => {
  const current = [
    stored('11111111-1111-4111-8111-111111111111', 'My physiotherapist is Anna Berg'),
    stored('22222222-2222-4222-8222-222222222222', 'I keep my savings at Northbank'),
    stored('33333333-3333-4333-8333-333333333333', 'Allergic to penicillin'),
  ];

  it('lets a change told in other words replace the statement closest to it', () => {
    const [next] = markChanges(
      [memory({ content: 'I moved my savings to Eastbank, better interest' })],
      current,
      semantic,
    );
    expect(next?.supersedes).toEqual(['22222222-2222-4222-8222-222222222222']);
  });

  it('takes "for now" as no change: it adds to what was said, replacing nothing', () => {
    const [meanwhile] = markChanges(
      [memory({ content: 'Anna Berg wants me off the bike for now, walking only' })],
      current,
      semantic,
    );
    expect(meanwhile?.supersedes).toBeUndefined();
    const [changed] = markChanges(
      [memory({ content: 'Anna Berg is only doing remote sessions now' })],
      current,
      semantic,
    );
    expect(changed?.supersedes).toEqual(['11111111-1111-4111-8111-111111111111']);
  });

  it('replaces nothing without a change cue, and nothing of another user', () => {
    const [plain] = markChanges(
      [memory({ content: 'Savings goal is a new car' })],
      current,
      semantic,
    );
    expect(plain?.supersedes).toBeUndefined();
    const [other] = markChanges(
      [memory({ content: 'I moved my savings to Eastbank', userId: 'bob' })],
      current,
      semantic,
    );
    expect(other?.supersedes).toBeUndefined();
  });

  it("reads a change verb of someone else's as a change of its subject only", () => {
    const standards = [
      stored(
        '44444444-4444-4444-8444-444444444444',
        'Our standard wall colour for turnovers is Linen White',
      ),
      stored('55555555-5555-4555-8555-555555555555', 'Tomas is our gardener this season'),
    ];
    // The tenant moving out changes no standard for turnovers, though both say "turnover".
    const [tenant] = markChanges(
      [memory({ content: 'The tenant in 2A moved out, the flat needs a turnover' })],
      standards,
      semantic,
    );
    expect(tenant?.supersedes).toBeUndefined();
    // Tomas moving away does change what was said about Tomas.
    const [gardener] = markChanges([memory({ content: 'Tomas moved away' })], standards, semantic);
    expect(gardener?.supersedes).toEqual(['55555555-5555-4555-8555-555555555555']);
    // The user's own move, and an adverb's change, compare the whole statement.
    expect(changedSubject('I moved my savings to Eastbank')).toBeUndefined();
    expect(changedSubject("We've just switched to Tidal")).toBeUndefined();
    expect(changedSubject('Moved to Lisbon in May')).toBeUndefined();
    expect(changedSubject("The office moved to Leeds, it's in the old mill now")).toBeUndefined();
    expect(changedSubject('The tenant in 2A moved out')).toBe('The tenant in 2A');
    // Having something done changes the thing, not who had it done.
    expect(changedSubject('Tomas had his knee replaced in March')).toBe('his knee');
    expect(changedSubject('I got my phone number changed')).toBe('my phone number');
    const [surgery] = markChanges(
      [memory({ content: 'Tomas had his knee replaced, he is off until June' })],
      standards,
      semantic,
    );
    expect(surgery?.supersedes).toBeUndefined();
  });

  it('leaves a statement far from every current one alone', () => {
    const [next] = markChanges(
      [memory({ content: 'I switched to decaf in the afternoons' })],
      current,
      semantic,
    );
    expect(next?.supersedes).toBeUndefined();
  });
});

describe('statementCloseness', () => {
  it('counts a shared word that is not a change cue, and closeness in meaning otherwise', () => {
    expect(statementCloseness('my bank is now Eastbank', 'my bank is Northbank', semantic)).toBe(
      0.6,
    );
    expect(statementCloseness('now I am here', 'I was there', semantic)).toBeLessThan(0.5);
  });
});
