import { assistant, type ScenarioInput, user } from '../scenario.js';

export const CODING: ScenarioInput[] = [
  {
    id: 'coding-component-conventions',
    domain: 'coding',
    title: 'generating a component calls up the stack and the style rules',
    tenant: 'consumer',
    user: 'sam',
    history: [
      {
        user: 'sam',
        turns: [
          user('Context: I work on a Next.js app with TypeScript, and we use pnpm, not npm.'),
          assistant('Next.js, TypeScript, pnpm. Got it.'),
          user('I prefer functional components and I hate default exports, named exports only.'),
          assistant('Named exports and function components from now on.'),
        ],
      },
      {
        user: 'kim',
        turns: [
          user('Our frontend is Vue 3 with the options API and we use yarn.'),
          assistant('Vue 3, options API, yarn. Noted.'),
        ],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'generate_code',
      toolArgs: { language: 'typescript', task: 'add a settings page component with a form' },
    },
    mustContain: ['Next.js', 'default exports'],
    mustNotContain: [
      { phrase: 'Vue 3', kind: 'other-user' },
      { phrase: 'yarn', kind: 'other-user' },
    ],
  },
  {
    id: 'coding-test-runner-migrated',
    domain: 'coding',
    title: 'writing tests uses the new test runner after a migration',
    tenant: 'consumer',
    user: 'ines',
    supersession: true,
    history: [
      {
        user: 'ines',
        turns: [
          user('Our unit tests run on Jest, the config is in jest.config.js at the root.'),
          assistant('Thanks, I will write Jest tests.'),
        ],
      },
      {
        user: 'ines',
        turns: [
          user('Heads up: we finished the migration to Vitest last sprint.'),
          user('Please write all new tests with vitest and put them next to the source file.'),
          assistant('Understood, Vitest and colocated test files.'),
        ],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'write_tests',
      toolArgs: { file: 'src/cart/totals.ts', framework: 'auto' },
    },
    mustContain: ['vitest'],
    mustNotContain: [{ phrase: 'jest.config', kind: 'stale' }],
  },
  {
    id: 'coding-risky-migration',
    domain: 'coding',
    title: 'a schema migration request calls up the database and the table size',
    tenant: 'consumer',
    user: 'olu',
    history: [
      {
        user: 'olu',
        turns: [
          user('Our production database is Postgres 16 on RDS.'),
          user('The orders table has about 40 million rows, so anything that locks it is a no-go.'),
          assistant('Understood, I will keep migrations lock-free on orders.'),
        ],
      },
      {
        user: 'olu',
        turns: [
          user("I'm nervous about migrations since the outage last week."),
          assistant('That makes sense. We can add safety checks to every migration.'),
        ],
      },
      {
        user: 'dev',
        turns: [
          user('We run MySQL 8 on PlanetScale and our orders table is tiny.'),
          assistant('MySQL 8 on PlanetScale, noted.'),
        ],
      },
    ],
    probe: {
      eventType: 'user_message',
      content: 'Can you write a migration that adds a NOT NULL shipping_region column to orders?',
    },
    mustContain: ['Postgres 16', '40 million'],
    mustNotContain: [
      { phrase: 'MySQL', kind: 'other-user' },
      { phrase: 'PlanetScale', kind: 'other-user' },
    ],
  },
  {
    id: 'coding-review-preferences',
    domain: 'coding',
    title: 'a pull request review calls up the reviewer preferences and the linter',
    tenant: 'consumer',
    user: 'ana',
    history: [
      {
        user: 'ana',
        turns: [
          user('When you review my code, keep it short. I like small PRs, under 300 lines.'),
          user("Please always suggest early returns, I can't stand nested ifs."),
          assistant('Short reviews, early returns over nested ifs.'),
        ],
      },
      {
        user: 'ana',
        turns: [
          user('We switched our linting to Biome, so ignore any old ESLint comments.'),
          assistant('Biome it is.'),
        ],
      },
      {
        user: 'raj',
        turns: [
          user('We use the airbnb ESLint config and I love deeply nested ternaries.'),
          assistant('Airbnb config, noted.'),
        ],
      },
      {
        tenant: 'rival',
        user: 'ana',
        turns: [user('I prefer long detailed reviews with a checklist for every file.')],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'review_pull_request',
      toolArgs: { repository: 'shop-web', pull_request: 482 },
    },
    mustContain: ['early returns', 'Biome'],
    mustNotContain: [
      { phrase: 'airbnb', kind: 'other-user' },
      { phrase: 'checklist', kind: 'other-tenant' },
    ],
  },
  {
    id: 'coding-python-upgrade',
    domain: 'coding',
    title: 'code generation targets the upgraded Python version',
    tenant: 'consumer',
    user: 'wei',
    supersession: true,
    history: [
      {
        user: 'wei',
        turns: [
          user("We're stuck on Python 3.8 because of an old dependency."),
          assistant('OK, I will avoid newer syntax like match statements.'),
        ],
      },
      {
        user: 'wei',
        turns: [
          user('We finally upgraded to Python 3.12 this week!'),
          user('So feel free to use the newer syntax and the standard zoneinfo module.'),
          assistant('Great, 3.12 features are fair game now.'),
        ],
      },
    ],
    probe: {
      eventType: 'tool_call',
      toolName: 'generate_code',
      toolArgs: { language: 'python', task: 'convert meeting times between time zones' },
    },
    mustContain: ['3.12'],
    mustNotContain: [{ phrase: '3.8', kind: 'stale' }],
  },
];
