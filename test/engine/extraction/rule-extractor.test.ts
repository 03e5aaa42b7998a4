import { describe, expect, it } from 'vitest';
import { RuleExtractor } from '../../../src/engine/index.js';
import { userTurn } from './user-turn.js';

describe('RuleExtractor', () => {
  it('reads every memory type from realistic user turns', async () => {
    const memories = await new RuleExtractor().extract({
      messages: [
        userTurn("Hi! I'm Maria. I live in Porto and I prefer aisle seats when I fly."),
        userTurn("I'm a bit worried about my connection in Frankfurt next Friday."),
        userTurn('Last year we went to Lisbon with my parents.'),
      ],
    });
    expect(memories.map((memory) => [memory.memoryType, memory.content])).toEqual([
      ['facts', 'Name is Maria'],
      ['facts', 'Lives in Porto'],
      ['preferences', 'Prefers aisle seats'],
      ['temporal_events', "I'm a bit worried about my connection in Frankfurt next Friday"],
      ['emotions', 'Feels worried about my connection in Frankfurt next Friday'],
      ['episodes', 'Last year we went to Lisbon with my parents'],
    ]);
    for (const memory of memories) {
      expect(memory.confidence).toBeGreaterThanOrEqual(0);
      expect(memory.confidence).toBeLessThanOrEqual(1);
      expect(memory.sourceMessageIds).toHaveLength(1);
    }
  });

  it('skips assistant turns entirely', async () => {
    const memories = await new RuleExtractor().extract({
      messages: [
        userTurn('I love window seats, I live in Lisbon and I work at Acme.', {
          role: 'assistant',
        }),
      ],
    });
    expect(memories).toEqual([]);
  });

  it('keeps a fact stated twice in one turn once, the last statement winning', async () => {
    const memories = await new RuleExtractor().extract({
      messages: [userTurn('I moved to Lisbon, I live in Lisbon now.')],
    });
    expect(
      memories.filter((memory) => memory.subjectKey === 'home_city').map((m) => m.content),
    ).toEqual(['Lives in Lisbon']);
  });

  it('is deterministic', async () => {
    const messages = [userTurn('I always fly economy. My flight is on 2026-12-03.')];
    const first = await new RuleExtractor().extract({ messages });
    const second = await new RuleExtractor().extract({ messages });
    expect(second).toEqual(first);
  });
});

describe('RuleExtractor clause splitting', () => {
  it('makes one memory a statement when statements are joined by "and"', async () => {
    const memories = await new RuleExtractor().extract({
      messages: [userTurn('I always take the stairs and I am allergic to cats.')],
    });
    expect(memories.map((memory) => memory.content)).toEqual([
      'Always takes the stairs',
      'Allergic to cats',
    ]);
  });

  it('keeps "my partner and I …" as one statement', async () => {
    const memories = await new RuleExtractor().extract({
      messages: [userTurn('My partner and I love sailing.')],
    });
    expect(memories).toHaveLength(1);
  });
});
