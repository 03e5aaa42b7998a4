import { describe, expect, it } from 'vitest';
import { factRule } from '../../../src/engine/extraction/index.js';
import { extractFrom } from './user-turn.js';

const facts = async (content: string) =>
  (await extractFrom(content, factRule)).map((memory) => [memory.subjectKey, memory.content]);

describe('factRule', () => {
  it('reads name, home city, employer and occupation with their subject keys', async () => {
    expect(
      await facts(
        "Hi, my name is Maria Santos. I live in Porto and I work at Acme Corp. I'm a software engineer.",
      ),
    ).toEqual([
      ['name', 'Name is Maria Santos'],
      ['home_city', 'Lives in Porto'],
      ['employer', 'Works at Acme Corp'],
      ['occupation', 'Works as a software engineer'],
    ]);
  });

  it('reads a move as the new home city, without trailing time words', async () => {
    expect(await facts('I moved to Lisbon, I live in Lisbon now.')).toEqual([
      ['home_city', 'Lives in Lisbon'],
    ]);
  });

  it('reads diet, allergies, household and origin', async () => {
    expect(
      await facts(
        "I'm vegetarian. I'm allergic to peanuts. I have two kids. I'm originally from São Paulo.",
      ),
    ).toEqual([
      ['diet', 'Diet: vegetarian'],
      ['allergy:peanuts', 'Allergic to peanuts'],
      ['household:kid', 'Has two kids'],
      ['origin', 'Is from São Paulo'],
    ]);
  });

  it('reads the employer that follows an occupation', async () => {
    expect(await facts("I'm a product manager at Spotify.")).toEqual([
      ['employer', 'Works at Spotify'],
      ['occupation', 'Works as a product manager'],
    ]);
  });

  it('reads "my <attribute> is …"', async () => {
    expect(await facts("My birthday is March 3. My wife's name is Ana.")).toEqual([
      ['birthday', 'Birthday is March 3'],
      ['wife_s_name', "Wife's name is Ana"],
    ]);
  });

  it('puts the value in entityId and the message in provenance', async () => {
    const [memory] = await extractFrom('I work for Globex', factRule, { id: 'msg_x' });
    expect(memory).toMatchObject({
      memoryType: 'facts',
      entityId: 'Globex',
      scope: 'user',
      sourceMessageIds: ['msg_x'],
      temporalCategory: 'perpetual',
    });
  });

  it('ignores negations, questions and assistant turns', async () => {
    expect(await facts("I don't live in Porto anymore.")).toEqual([]);
    expect(await facts('Do I live in Porto?')).toEqual([]);
    expect(await facts('Is my name is Maria?')).toEqual([]);
    expect(
      await extractFrom('I live in the cloud, my name is Assistant.', factRule, {
        role: 'assistant',
      }),
    ).toEqual([]);
  });
});
