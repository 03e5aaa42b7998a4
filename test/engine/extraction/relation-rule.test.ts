import { describe, expect, it } from 'vitest';
import { RuleExtractor } from '../../../src/engine/extraction/index.js';
import { relationRule } from '../../../src/engine/extraction/relation-rule.js';
import { extractFrom, userTurn } from './user-turn.js';

const relations = async (content: string) =>
  (await extractFrom(content, relationRule)).map((memory) => memory.content);

describe('relationRule', () => {
  it('reads who is who from a relation named in passing', async () => {
    expect(await relations('My nephew Arlo starts school in September.')).toEqual([
      'My nephew is Arlo',
    ]);
    expect(await relations('We took our cat Miso to the groomer.')).toEqual(['Our cat is Miso']);
    expect(await relations("I'm picking up my brother's kid Noor today")).toEqual([
      "My brother's kid is Noor",
    ]);
    expect(await relations('my old landlord Mr. Okafor kept the deposit')).toEqual([
      'My old landlord is Mr. Okafor',
    ]);
    expect(await relations('Our accountant, Dana Reyes, files in March')).toEqual([
      'Our accountant is Dana Reyes',
    ]);
  });

  it('reads a name written in lower case when it reads as one: no English word, no verb', async () => {
    expect(await relations('my flatmate oskar keeps stealing my oat milk')).toEqual([
      'My flatmate is oskar',
    ]);
    expect(await relations('our groomer ines is booked out till june')).toEqual([
      'Our groomer is ines',
    ]);
    for (const text of ['my sister lives in Rome', 'my boss wants reports', 'my mom said hi']) {
      expect(await relations(text), text).toEqual([]);
    }
  });

  it('reads no name in a date, a lower-case word or a question', async () => {
    expect(await relations('My dentist Monday was fine')).toEqual([]);
    expect(await relations('my coach says rest')).toEqual([]);
    expect(await relations('Is my sister Lena invited?')).toEqual([]);
  });

  it('runs beside the other rules: the statement itself is kept too, and outlives nothing', async () => {
    const memories = await new RuleExtractor().extract({
      messages: [userTurn('My niece Ada turns 10 next Saturday, she wants a telescope')],
    });
    const contents = memories.map((memory) => [memory.memoryType, memory.content]);
    expect(contents).toContainEqual(['facts', 'My niece is Ada']);
    expect(contents.some(([type]) => type === 'temporal_events')).toBe(true);
    const relation = memories.find((memory) => memory.content === 'My niece is Ada');
    expect(relation?.validUntil ?? null).toBeNull();
  });
});
