import { assistant, type ScenarioInput, user } from '../scenario.js';

export const FINANCE: ScenarioInput[] = [
  {
    id: 'finance-house-deposit-goal',
    domain: 'finance',
    title: 'an investment suggestion calls up the goal and the risk appetite',
    tenant: 'consumer',
    user: 'rachel',
    history: [
      {
        user: 'rachel',
        turns: [
          user("I'm saving for a house deposit, the target is 60k by the end of 2027."),
          assistant('That is a clear goal. How do you feel about risk?'),
          user('I hate risky investments, keep me in index funds and savings accounts.'),
        ],
      },
      {
        user: 'mike',
        turns: [
          user('I love crypto, put 30% of everything into Bitcoin and Solana.'),
          assistant('Noted, high risk tolerance.'),
        ],
      },
      {
        tenant: 'rival',
        user: 'rachel',
        turns: [user('I prefer individual tech stocks, especially semiconductors.')],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'suggest_investments',
      toolArgs: { amount_eur: 5000, horizon_years: 2 },
    },
    mustContain: ['index funds', 'house deposit'],
    mustNotContain: [
      { phrase: 'crypto', kind: 'other-user' },
      { phrase: 'Bitcoin', kind: 'other-user' },
      { phrase: 'semiconductors', kind: 'other-tenant' },
    ],
  },
  {
    id: 'finance-salary-raise',
    domain: 'finance',
    title: 'an affordability check uses the salary after the promotion',
    tenant: 'consumer',
    user: 'kwame',
    supersession: true,
    history: [
      {
        user: 'kwame',
        turns: [
          user('For context, my salary is 72k a year before tax.'),
          assistant('Thanks, that helps with budgeting.'),
        ],
      },
      {
        user: 'kwame',
        turns: [
          user('I got promoted! My salary is now 85k.'),
          assistant('Congratulations! I will update your budget.'),
        ],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'estimate_mortgage_affordability',
      toolArgs: { property_price: 420000, deposit: 60000, term_years: 30 },
    },
    mustContain: ['85k'],
    mustNotContain: [{ phrase: '72k', kind: 'stale' }],
  },
  {
    id: 'finance-fixed-costs-vacation',
    domain: 'finance',
    title: 'an affordability question calls up rent and the car loan',
    tenant: 'consumer',
    user: 'julia',
    history: [
      {
        user: 'julia',
        turns: [
          user('My rent is 1,450 a month and it is due on the 1st.'),
          user('The car loan takes 320 every month on the 15th.'),
          assistant('Got both fixed costs.'),
        ],
      },
      {
        user: 'julia',
        turns: [
          user("I'm worried about money since my hours got cut in September."),
          assistant('Let us keep a close eye on the budget then.'),
        ],
      },
      {
        user: 'paul',
        turns: [user('My mortgage is 2,100 a month and I just paid off my student loan.')],
      },
    ],
    probe: {
      eventType: 'user_message',
      content: 'Can I afford a 900 euro holiday in August?',
    },
    mustContain: ['1,450', '320', 'hours got cut'],
    mustNotContain: [
      { phrase: '2,100', kind: 'other-user' },
      { phrase: 'student loan', kind: 'other-user' },
    ],
  },
  {
    id: 'finance-tax-return-freelancer',
    domain: 'finance',
    title: 'a tax return calls up the tax regime and the accountant',
    tenant: 'consumer',
    user: 'tiago',
    history: [
      {
        user: 'tiago',
        turns: [
          user("I'm a freelance designer and I file my taxes in Portugal under the NHR regime."),
          assistant('Freelance under NHR, noted.'),
          user('My accountant is Rui Costa, he needs the invoices by March.'),
        ],
      },
      {
        user: 'elena',
        turns: [
          user('I file my taxes in Spain and my accountant is Marta Gil.'),
          assistant('Spain, Marta Gil. Got it.'),
        ],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'prepare_tax_return',
      toolArgs: { tax_year: 2025, include_invoices: true },
    },
    mustContain: ['NHR', 'Rui Costa'],
    mustNotContain: [
      { phrase: 'Marta Gil', kind: 'other-user' },
      { phrase: 'Spain', kind: 'other-user' },
    ],
  },
];
