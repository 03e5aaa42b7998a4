import { describe, expect, it } from 'vitest';
import { factRule, RuleExtractor } from '../../../src/engine/extraction/index.js';
import { statementRule } from '../../../src/engine/extraction/statement-rule.js';
import { extractFrom, userTurn } from './user-turn.js';

const statements = async (content: string) =>
  (
    await new RuleExtractor({ rules: [], fallbackRule: statementRule, relations: false }).extract({
      messages: [userTurn(content)],
    })
  ).map((memory) => [memory.subjectKey, memory.content]);

describe('statementRule', () => {
  it('keeps what no specific rule understood, in the user words, one statement a memory', async () => {
    expect(await statements('Our cat hides under the bed during thunderstorms.')).toEqual([
      ['', 'Our cat hides under the bed during thunderstorms'],
    ]);
    expect(
      await statements('The boiler makes a clicking noise and my landlord never answers email.'),
    ).toEqual([
      ['', 'The boiler makes a clicking noise'],
      ['', 'My landlord never answers email'],
    ]);
  });

  it('splits a comma before a named subject and its verb: a statement about someone else', async () => {
    expect(await statements('We hired a new nanny last week, Maria started on Monday.')).toEqual([
      ['', 'We hired a new nanny last week'],
      ['', 'Maria started on Monday'],
    ]);
    expect(await statements('Joel handles the payroll now, Dana retired in June.')).toEqual([
      ['', 'Joel handles the payroll now'],
      ['', 'Dana retired in June'],
    ]);
    // A list of names and an apposition are one statement.
    expect(await statements('We are visiting Paris, Rome and Berlin this spring.')).toEqual([
      ['', 'We are visiting Paris, Rome and Berlin this spring'],
    ]);
    expect(await statements('Our neighbour, Sam, feeds the fish when we travel.')).toEqual([
      ['', 'Our neighbour, Sam, feeds the fish when we travel'],
    ]);
  });

  it('keys "my <attribute> is <value>" by the attribute, whatever qualifies it', async () => {
    expect(await statements('My accountant is Lena Weiss.')).toEqual([
      ['attribute:accountant', 'My accountant is Lena Weiss'],
    ]);
    expect(await statements('My new accountant is Omar Haddad.')).toEqual([
      ['attribute:accountant', 'My new accountant is Omar Haddad'],
    ]);
  });

  it('skips questions, requests, thanks and small talk', async () => {
    expect(await statements('Could you move the meeting to noon?')).toEqual([]);
    expect(await statements('Please send the invoice to finance.')).toEqual([]);
    expect(await statements('Thanks, that works perfectly.')).toEqual([]);
    expect(await statements('Me too.')).toEqual([]);
    expect(await statements('explain gin vs btree indexes in postgres like im five')).toEqual([]);
    expect(await statements('whats the actual difference between a roth and a 401k')).toEqual([]);
  });

  it('reads no sentence end after a title: "Prof. Gutierrez" stays one statement', async () => {
    expect(
      await statements('My advisor is Prof. Gutierrez. He holds office hours on Tuesdays.'),
    ).toEqual([
      ['attribute:advisor', 'My advisor is Prof. Gutierrez'],
      ['', 'He holds office hours on Tuesdays'],
    ]);
  });

  it('keeps a short attribute with its value: it is no small talk', async () => {
    expect(await statements('my ring size is 6.5')).toEqual([
      ['attribute:ring_size', 'My ring size is 6.5'],
    ]);
  });

  it('keeps a short first-person statement with a name or a rare word, not small talk', async () => {
    expect(await statements('I am colorblind.')).toEqual([['', 'I am colorblind']]);
    expect(await statements('We bank with Chase.')).toEqual([['', 'We bank with Chase']]);
    expect(await statements('The laptop needs a bright screen, and it has to run Ubuntu.')).toEqual(
      [
        ['', 'The laptop needs a bright screen'],
        ['', 'It has to run Ubuntu'],
      ],
    );
    expect(await statements("The fine print is tiny, i'm dyslexic.")).toEqual([
      ['', 'The fine print is tiny'],
      ['', "I'm dyslexic"],
    ]);
    expect(await statements('We need a booster seat.')).toEqual([['', 'We need a booster seat']]);
    expect(await statements("I'm fine.")).toEqual([]);
    expect(await statements('im back')).toEqual([]);
    expect(await statements('I love it!')).toEqual([]);
  });

  it('keeps what chat says without its "I", and what the user asks to be remembered', async () => {
    expect(await statements('joined a climbing gym!!')).toEqual([['', 'Joined a climbing gym']]);
    expect(
      await statements('can you save my library card number for renewals? LX40091A. thanks'),
    ).toEqual([
      ['', 'My library card number for renewals'],
      ['', 'LX40091A'],
    ]);
    expect(await statements('can you book me a table?')).toEqual([]);
  });

  it('reads an instruction about the user after a comma as a statement of its own', async () => {
    expect(
      await statements('Weekends are packed with football, keep me on the early shift.'),
    ).toEqual([
      ['', 'Weekends are packed with football'],
      ['', 'Keep me on the early shift'],
    ]);
    // A request of the assistant's help states nothing.
    expect(await statements('The kids love fresh pasta, book me a table for four.')).toEqual([
      ['', 'The kids love fresh pasta'],
    ]);
  });

  it("runs only where no rule found a memory: a rule's reading is not stated twice", async () => {
    const memories = await extractFrom('I work at Initech. Our office dog is called Biscuit.');
    expect(memories.map((memory) => memory.content)).toEqual([
      'Works at Initech',
      'Our office dog is called Biscuit',
    ]);
    const onlyFacts = await new RuleExtractor({ rules: [factRule], fallbackRule: null }).extract({
      messages: [userTurn('Our office dog is called Biscuit.')],
    });
    expect(onlyFacts).toEqual([]);
  });
});
