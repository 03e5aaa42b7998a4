import { describe, expect, it } from 'vitest';
import { preferenceCategory, preferenceRule } from '../../../src/engine/extraction/index.js';
import { extractFrom, userTurn } from './user-turn.js';

describe('preferenceRule', () => {
  it('reads "never" before a past tense as what happened, not a habit', async () => {
    expect(await extractFrom('I never learned to swim', preferenceRule)).toEqual([]);
    const [habit] = await extractFrom('I never eat before noon', preferenceRule);
    expect(habit?.content).toBe('Never eats before noon');
  });

  it('reads a medium preference with its category and provenance', async () => {
    const message = userTurn('When I fly I prefer aisle seats, the legroom matters.');
    const [memory, ...rest] = await extractFrom(message.content, preferenceRule, {
      id: message.id,
    });
    expect(rest).toEqual([]);
    expect(memory).toMatchObject({
      memoryType: 'preferences',
      content: 'Prefers aisle seats',
      category: 'travel',
      strength: 0.6,
      scope: 'user',
      conversationId: null,
      userId: 'alice',
      sourceMessageIds: [message.id],
    });
    expect(memory?.confidence).toBeGreaterThan(0);
    expect(memory?.confidence).toBeLessThanOrEqual(1);
  });

  it('gives love, hate, always and never a strong strength', async () => {
    const memories = await extractFrom(
      'I love spicy Thai food. I hate early morning meetings. I always fly economy. I never check bags.',
      preferenceRule,
    );
    expect(memories.map((memory) => [memory.content, memory.category, memory.strength])).toEqual([
      ['Loves spicy Thai food', 'food', 0.9],
      ['Hates early morning meetings', 'schedule', 0.9],
      ['Always flies economy', 'travel', 0.9],
      ['Never checks bags', 'travel', 0.9],
    ]);
  });

  it('reads dislikes and "I\'d rather"', async () => {
    const memories = await extractFrom(
      "I don't like phone calls. I'd rather get an email.",
      preferenceRule,
    );
    expect(memories.map((memory) => [memory.content, memory.category])).toEqual([
      ['Dislikes phone calls', 'communication'],
      ['Would rather get an email', 'communication'],
    ]);
  });

  it('keeps a preference for this trip in the conversation', async () => {
    const [memory] = await extractFrom('For this trip I prefer a window seat.', preferenceRule, {
      conversationId: '00000000-0000-4000-8000-000000000001',
    });
    expect(memory).toMatchObject({
      content: 'Prefers a window seat',
      scope: 'conversation',
      conversationId: '00000000-0000-4000-8000-000000000001',
    });
  });

  it('gives the same object the same subject key, so a changed stance supersedes', async () => {
    const [love] = await extractFrom('I love sushi', preferenceRule);
    const [hate] = await extractFrom('I hate sushi', preferenceRule);
    expect(love?.subjectKey).toBe(hate?.subjectKey);
    expect(love?.subjectKey).not.toBe('');
  });

  it('lowers confidence when the user hedges', async () => {
    const [sure] = await extractFrom('I prefer trains', preferenceRule);
    const [hedged] = await extractFrom('I think I prefer trains', preferenceRule);
    expect(hedged?.confidence).toBeLessThan(sure?.confidence ?? 0);
  });

  it('ignores requests, questions, assistant turns and empty objects', async () => {
    const none = [
      "I'd like to book a flight to Rome.",
      'I would love a refund please.',
      'Do you like aisle seats?',
      'What do I prefer for dinner',
      'I never said that.',
      'I hate it when flights get delayed.',
    ];
    for (const content of none) expect(await extractFrom(content, preferenceRule)).toEqual([]);
    expect(
      await extractFrom('I love helping with travel plans!', preferenceRule, { role: 'assistant' }),
    ).toEqual([]);
  });
});

describe('preferenceCategory', () => {
  it('maps keywords to categories and falls back to general', () => {
    expect(preferenceCategory('hotel rooms with a view')).toBe('travel');
    expect(preferenceCategory('vegetarian restaurants')).toBe('food');
    expect(preferenceCategory('replies by Slack')).toBe('communication');
    expect(preferenceCategory('meetings in the afternoon')).toBe('schedule');
    expect(preferenceCategory('free shipping')).toBe('shopping');
    expect(preferenceCategory('working remote')).toBe('work');
    expect(preferenceCategory('jazz')).toBe('general');
  });
});
