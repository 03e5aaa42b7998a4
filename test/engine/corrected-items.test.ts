import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../src/engine/candidate-ranking.js';
import { dropCorrected } from '../../src/engine/corrected-items.js';

function candidate(content: string, createdAt: string, source = 'messages'): Candidate {
  return {
    item: {
      itemId: content,
      content,
      contextType: 'episodes',
      source,
      similarityScore: 0.5,
      relevanceScore: 0.5,
      confidence: 1,
      scope: 'user',
      entityId: '',
      createdAt,
      temporalCategory: 'episode',
      temporalConfidence: 1,
    },
    score: 0.5,
    tokens: 10,
    subjectKey: '',
    sourceIds: [],
  };
}

const contents = (list: Candidate[]) => list.map((entry) => entry.item.content);

describe('dropCorrected', () => {
  it('drops an older message that a later one corrects on the same subject', () => {
    const kept = dropCorrected([
      candidate('user: My salary is 72k a year before tax.', '2026-01-01T00:00:00Z'),
      candidate('user: I got promoted! My salary is now 85k.', '2026-03-01T00:00:00Z'),
    ]);
    expect(contents(kept)).toEqual(['user: I got promoted! My salary is now 85k.']);
  });

  it('drops a memory that a later message corrects', () => {
    const kept = dropCorrected([
      candidate('Lives in Berlin', '2026-01-01T00:00:00Z', 'memories'),
      candidate('user: I moved from Berlin to Lisbon last month.', '2026-02-01T00:00:00Z'),
    ]);
    expect(contents(kept)).toEqual(['user: I moved from Berlin to Lisbon last month.']);
  });

  it('lets a memory correct a message', () => {
    const kept = dropCorrected([
      candidate('user: My dentist appointment is on Friday at 3pm', '2026-01-01T00:00:00Z'),
      candidate('Dentist appointment moved to Tuesday at 11am', '2026-01-02T00:00:00Z', 'memories'),
    ]);
    expect(contents(kept)).toEqual(['Dentist appointment moved to Tuesday at 11am']);
  });

  it('keeps what a later "for now" adds to, since it corrects nothing', () => {
    const list = [
      candidate(
        'My physical therapist is Renata at Core Rehab',
        '2026-01-01T00:00:00Z',
        'memories',
      ),
      candidate(
        'Renata wants the bend under 90 degrees for now',
        '2026-02-01T00:00:00Z',
        'memories',
      ),
    ];
    expect(contents(dropCorrected(list))).toEqual(contents(list));
  });

  it('keeps messages on other subjects, and a correction older than the message', () => {
    const list = [
      candidate('user: I switched to Vitest last week.', '2026-01-01T00:00:00Z'),
      candidate('user: I always fly TAP.', '2026-02-01T00:00:00Z'),
      candidate('user: Vitest runs in watch mode for me.', '2026-03-01T00:00:00Z'),
    ];
    expect(contents(dropCorrected(list))).toEqual(contents(list));
  });

  it('reads what a correction corrects next to its word, not elsewhere in the sentence', () => {
    const list = [
      candidate('My sister Marta is visiting in May', '2026-01-01T00:00:00Z', 'memories'),
      candidate(
        'Marta had her knee replaced last year and still uses a cane on stairs',
        '2026-02-01T00:00:00Z',
        'memories',
      ),
    ];
    expect(contents(dropCorrected(list))).toEqual(contents(list));
    const moved = [
      candidate('The standup is at 9:30 in room Kepler', '2026-01-01T00:00:00Z', 'memories'),
      candidate('Heads up: the standup moved to 10:15', '2026-02-01T00:00:00Z', 'memories'),
    ];
    expect(contents(dropCorrected(moved))).toEqual(['Heads up: the standup moved to 10:15']);
  });
});
