import { describe, expect, it } from 'vitest';
import {
  emotionRule,
  episodeRule,
  factRule,
  preferenceRule,
  temporalRule,
} from '../../../src/engine/extraction/index.js';
import { extractFrom } from './user-turn.js';

type Row = [subjectKey: string, content: string];
const read = async (content: string, rule: Parameters<typeof extractFrom>[1]): Promise<Row[]> =>
  (await extractFrom(content, rule)).map((memory) => [memory.subjectKey, memory.content]);

describe('facts from realistic introductions', () => {
  it('reads a name, occupation, employer and city from one introduction', async () => {
    expect(
      await read("Hey, I'm Priya Patel, a data scientist at Stripe, living in Dublin.", factRule),
    ).toEqual([
      ['name', 'Name is Priya Patel'],
      ['home_city', 'Lives in Dublin'],
      ['employer', 'Works at Stripe'],
      ['occupation', 'Works as a data scientist'],
    ]);
  });

  it('reads a bare "I\'m <Name>" but never a nationality or a mood', async () => {
    expect(await read("Hi! I'm Maria.", factRule)).toEqual([['name', 'Name is Maria']]);
    expect(await read("I'm Italian, and I'm OK with trains.", factRule)).toEqual([]);
    expect(await read("I'm Brazilian.", factRule)).toEqual([]);
    expect(await read('I was living in Paris back then.', factRule)).toEqual([]);
  });

  it("reads the household and a relative's allergy", async () => {
    expect(
      await read("We have two kids. I'm vegan, and my husband is allergic to peanuts.", factRule),
    ).toEqual([
      ['household:kid', 'Has two kids'],
      ['diet', 'Diet: vegan'],
      ['allergy:husband:peanuts', 'Husband is allergic to peanuts'],
    ]);
  });

  it('reads an email address however it is introduced, always under one key', async () => {
    expect(await read('My email is helena.m@gmail.com if you need to reach me.', factRule)).toEqual(
      [['email', 'Email is helena.m@gmail.com']],
    );
    expect(await read('The new address is helena.marsh@proton.me.', factRule)).toEqual([
      ['email', 'Email is helena.marsh@proton.me'],
    ]);
    expect(await read('You can reach me at bob@example.com.', factRule)).toEqual([
      ['email', 'Email is bob@example.com'],
    ]);
  });

  it("reads the team's stack, and a switch replaces the tool under the same key", async () => {
    expect(await read('Our production database is Postgres 16 on RDS.', factRule)).toEqual([
      ['stack:production_database', 'Tech stack (production database): Postgres 16 on RDS'],
    ]);
    expect(await read('Our unit tests run on Jest.', factRule)).toEqual([
      ['stack:unit_tests', 'Tech stack (unit tests): Jest'],
    ]);
    expect(await read('We switched our unit tests to Vitest last sprint.', factRule)).toEqual([
      ['stack:unit_tests', 'Tech stack (unit tests): Vitest'],
    ]);
  });

  it('leaves a relative date to the temporal rule instead of keeping it as a fact', async () => {
    expect(await read("My mom's birthday is next Saturday.", factRule)).toEqual([]);
    expect(await read("My mom's birthday is next Saturday.", temporalRule)).toEqual([
      ['event:mom_s_birthday', "My mom's birthday is next Saturday"],
    ]);
  });
});

describe('preferences from realistic turns', () => {
  it('reads "not a fan of", "big fan of" and "I\'d prefer"', async () => {
    const memories = await extractFrom(
      "I'm not a fan of spicy food. I'm a huge fan of jazz. I'd prefer a quiet room on a high floor.",
      preferenceRule,
    );
    expect(memories.map((memory) => [memory.subjectKey, memory.content, memory.strength])).toEqual([
      ['preference:spicy_food', 'Dislikes spicy food', 0.6],
      ['preference:jazz', 'Loves jazz', 0.9],
      ['preference:quiet_room_on_a_high_floor', 'Prefers a quiet room on a high floor', 0.6],
    ]);
    expect(memories.map((memory) => memory.category)).toEqual(['food', 'general', 'travel']);
  });

  it('reads a standing instruction to the assistant, and its reversal shares the key', async () => {
    const [always] = await extractFrom('Please always reply in bullet points.', preferenceRule);
    const [never] = await extractFrom('Never reply in bullet points.', preferenceRule);
    expect(always).toMatchObject({
      content: 'Wants the assistant to always reply in bullet points',
      category: 'communication',
      strength: 0.9,
    });
    expect(never?.content).toBe('Wants the assistant to never reply in bullet points');
    expect(never?.subjectKey).toBe(always?.subjectKey);
  });

  it('still refuses requests that are not tastes', async () => {
    expect(await extractFrom("I'd like to book a table for two.", preferenceRule)).toEqual([]);
  });
});

describe('temporal events from realistic turns', () => {
  it('keys the event named next to the date, not the first one in the sentence', async () => {
    expect(
      await read(
        'Our team standup is every day at 9:30, and the quarterly review is on December 12.',
        temporalRule,
      ),
    ).toEqual([
      [
        'event:quarterly_review',
        'Our team standup is every day at 9:30, and the quarterly review is on December 12',
      ],
    ]);
  });

  it('reads a reschedule told in the passive', async () => {
    const [memory] = await extractFrom(
      'The board meeting was moved to next Tuesday.',
      temporalRule,
    );
    expect(memory).toMatchObject({
      subjectKey: 'event:board_meeting',
      eventDate: new Date('2026-11-24T00:00:00Z'),
    });
  });
});

describe('emotions and episodes from realistic turns', () => {
  it('reads "Feeling …" without a subject, and idioms', async () => {
    expect(
      (await extractFrom('Feeling pretty anxious about the presentation.', emotionRule)).map(
        (memory) => memory.content,
      ),
    ).toEqual(['Feels anxious about the presentation']);
    const [idiom] = await extractFrom(
      "I'm so fed up with the billing errors, this is driving me crazy.",
      emotionRule,
    );
    expect(idiom).toMatchObject({
      content: 'Feels frustrated about the billing errors',
      metadata: { emotion: 'frustrated' },
    });
  });

  it('reads promotions, deals and switches as episodes, life events weighing more', async () => {
    const [promotion] = await extractFrom(
      'I got promoted to senior engineer in March.',
      episodeRule,
    );
    const [funding] = await extractFrom('We just closed our Series A last month.', episodeRule);
    const [phone] = await extractFrom('I switched from Android to iPhone.', episodeRule);
    expect(promotion?.content).toBe('I got promoted to senior engineer in March');
    expect(funding?.content).toBe('We just closed our Series A last month');
    expect(phone?.significance).toBeLessThan(promotion?.significance ?? 0);
  });
});

describe('chat as it is typed', () => {
  const contents = async (text: string) =>
    (await extractFrom(text)).map((memory) => memory.content);

  it('splits at a lower-case "i" as at "I", so neither statement swallows the other', async () => {
    const memories = await contents('my ring size is 6.5 btw, i always forget it');
    expect(memories).toContain('My ring size is 6.5 btw');
  });

  it('reads a statement ending in "??" as said, not asked', async () => {
    const memories = await extractFrom("turns out i'm allergic to latex?? at 34??");
    expect(memories.map((memory) => memory.subjectKey)).toContain('allergy:latex');
    // A question still asks: it states nothing.
    expect(await extractFrom('am i allergic to latex?')).toEqual([]);
    expect(await extractFrom('should we book the aisle seats?')).toEqual([]);
  });

  it('keeps a statement made "for now" for every conversation of the user', async () => {
    const [memory] = await extractFrom('Renata wants the bend under 90 degrees for now');
    expect(memory?.scope).toBe('user');
    const [once] = await extractFrom("I'm paying with the work card just this once");
    expect(once?.scope).toBe('conversation');
  });

  it('keeps what happened today as an episode that holds on, not an event over tomorrow', async () => {
    const happened = await extractFrom('nala weighed in at 62 lb at the vet today');
    expect(happened.map((memory) => [memory.memoryType, memory.validUntil])).toEqual([
      ['facts', null],
    ]);
    const coming = await extractFrom('the vet visit is scheduled for today at 4');
    expect(coming.map((memory) => memory.memoryType)).toContain('temporal_events');
  });
});
