import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AnticipationHarness,
  type ScenarioRun,
} from '../../bench/anticipation/anticipation-harness.js';
import { scoreBundle } from '../../bench/anticipation/bundle-score.js';
import { DIFFICULTIES, type ScenarioInput, user } from '../../bench/anticipation/scenario.js';
import { checkScenarios, normalize } from '../../bench/anticipation/scenario-check.js';
import { scenarioInputs } from '../../bench/anticipation/scenario-set.js';
import { SCENARIO_INPUTS } from '../../bench/anticipation/scenarios/index.js';
import { TENANT_CLIENTS } from '../../bench/anticipation/seeded-store.js';
import type { ContextBundle, ContextItem } from '../../src/protocol/context-bundle.js';

const valid: ScenarioInput = {
  id: 'sample-scenario',
  domain: 'travel',
  title: 'sample',
  tenant: 'consumer',
  user: 'maya',
  history: [
    { user: 'maya', turns: [user('I live in Lisbon and I prefer aisle seats.')] },
    { user: 'jonas', turns: [user('I prefer window seats.')] },
  ],
  probe: { eventType: 'tool_call', toolName: 'book_flight', toolArgs: { destination: 'Rome' } },
  mustContain: ['Lisbon', 'aisle'],
  mustNotContain: [{ phrase: 'window', kind: 'other-user' }],
};

describe('checkScenarios', () => {
  const scenarios = checkScenarios(SCENARIO_INPUTS);

  it('accepts every regression scenario: at least 28, each of its domains with 4 and a supersession case', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(28);
    for (const domain of new Set(scenarios.map((scenario) => scenario.domain))) {
      const ofDomain = scenarios.filter((scenario) => scenario.domain === domain);
      expect(ofDomain.length, domain).toBeGreaterThanOrEqual(4);
      const superseding = ofDomain.filter(
        (scenario) =>
          scenario.supersession &&
          scenario.mustNotContain.some((phrase) => phrase.kind === 'stale'),
      );
      expect(superseding.length, domain).toBeGreaterThanOrEqual(1);
    }
    expect(new Set(scenarios.map((scenario) => scenario.domain)).size).toBe(7);
    // Every scenario baits a leak: a phrase it must not serve.
    expect(scenarios.filter((scenario) => scenario.mustNotContain.length === 0)).toEqual([]);
  });

  it('accepts both parts of the second set: 150 scenarios, 25 a class, at least 10 domains', () => {
    const now = new Date();
    const development = checkScenarios(scenarioInputs('development', now));
    const heldOut = checkScenarios(scenarioInputs('held-out', now));
    const all = [...development, ...heldOut];
    expect(all).toHaveLength(150);
    expect(new Set(all.map((scenario) => scenario.id)).size).toBe(150);
    for (const difficulty of DIFFICULTIES) {
      expect(
        all.filter((scenario) => scenario.difficulty === difficulty),
        difficulty,
      ).toHaveLength(25);
    }
    expect(new Set(all.map((scenario) => scenario.domain)).size).toBeGreaterThanOrEqual(10);
    // A third to develop against, split once and kept.
    expect(development).toHaveLength(48);
    // No absolute date in a scenario: every one is a placeholder, resolved against now.
    expect(JSON.stringify(all)).not.toMatch(/\{\{/);
  });

  it('accepts the third set, all of it to develop against: 72 scenarios, 12 a class, 12 domains', () => {
    const now = new Date();
    const second = new Set(
      [
        ...scenarioInputs('development', now),
        ...scenarioInputs('held-out', now),
        ...scenarioInputs('regression', now),
      ].map((scenario) => scenario.id),
    );
    const third = checkScenarios(scenarioInputs('development-2', now));
    expect(third).toHaveLength(72);
    for (const difficulty of DIFFICULTIES) {
      expect(
        third.filter((scenario) => scenario.difficulty === difficulty),
        difficulty,
      ).toHaveLength(12);
    }
    expect(new Set(third.map((scenario) => scenario.domain)).size).toBe(12);
    // Its own ids: a scenario of it never shadows one of the other sets.
    expect(third.filter((scenario) => second.has(scenario.id))).toEqual([]);
    expect(JSON.stringify(third)).not.toMatch(/\{\{/);
  });

  it('accepts the fourth set, all of it to develop against: 60 scenarios, 10 a class, 12 domains', () => {
    const now = new Date();
    const earlier = new Set(
      (['regression', 'development', 'held-out', 'development-2'] as const)
        .flatMap((set) => scenarioInputs(set, now))
        .map((scenario) => scenario.id),
    );
    const fourth = checkScenarios(scenarioInputs('development-3', now));
    expect(fourth).toHaveLength(60);
    for (const difficulty of DIFFICULTIES) {
      expect(
        fourth.filter((scenario) => scenario.difficulty === difficulty),
        difficulty,
      ).toHaveLength(10);
    }
    expect(new Set(fourth.map((scenario) => scenario.domain)).size).toBe(12);
    expect(fourth.filter((scenario) => earlier.has(scenario.id))).toEqual([]);
    expect(JSON.stringify(fourth)).not.toMatch(/\{\{/);
  });

  it('accepts a consistent scenario', () => {
    expect(checkScenarios([valid])[0]?.supersession).toBe(false);
  });

  it.each([
    [
      'a required phrase the user never said',
      { mustContain: ['Porto'] },
      'sample-scenario: mustContain: "Porto" is never said',
    ],
    [
      'an other-user phrase the probing user said too',
      { mustNotContain: [{ phrase: 'seats', kind: 'other-user' as const }] },
      'other-user "seats" is also said by the probing user',
    ],
    [
      'a stale phrase nobody said',
      { mustNotContain: [{ phrase: 'Berlin', kind: 'stale' as const }] },
      'stale "Berlin" is never said by the probing user',
    ],
    [
      'an other-customer phrase outside the business tenant',
      { mustNotContain: [{ phrase: 'window', kind: 'other-customer' as const }] },
      'other-customer "window" is said by no other-customer conversation',
    ],
    [
      'a business scenario without a customer',
      { tenant: 'business' as const },
      'customer: is required in the business tenant',
    ],
    [
      "a probe in another user's conversation",
      { probe: { ...valid.probe, conversation: 1 } },
      "probe.conversation: history entry 1 is not the probing user's",
    ],
    ['a bad id', { id: 'Not Kebab' }, 'id: must be kebab-case'],
  ])('rejects %s', (_name, change, message) => {
    expect(() => checkScenarios([{ ...valid, ...change }])).toThrow(message);
  });

  it('rejects two scenarios with one id', () => {
    expect(() => checkScenarios([valid, valid])).toThrow('sample-scenario: id: is used twice');
  });
});

describe('scoreBundle', () => {
  const scenario = checkScenarios([valid])[0];
  if (!scenario) throw new Error('the sample scenario did not parse');
  const item = (content: string): ContextItem => ({
    itemId: content,
    content,
    contextType: 'facts',
    source: 'memories',
    similarityScore: 0,
    relevanceScore: 0,
    confidence: 1,
    scope: 'user',
    entityId: '',
    createdAt: new Date(0).toISOString(),
    temporalConfidence: 1,
  });
  const bundleOf = (facts: string[], preferences: string[] = []) =>
    ({
      itemsByType: { facts: facts.map(item), preferences: preferences.map(item) },
    }) as unknown as ContextBundle;

  it('counts found phrases, useful items and leaks as bundle-score.ts defines them', () => {
    const score = scoreBundle(
      scenario,
      bundleOf(['Lives in LISBON', 'Has two cats'], ['Prefers  window seats']),
    );
    expect(score.found).toEqual(['Lisbon']);
    expect(score.missing).toEqual(['aisle']);
    expect(score.items).toBe(3);
    expect(score.usefulItems).toBe(1);
    expect(score.leaks).toEqual([
      { phrase: 'window', kind: 'other-user', item: 'Prefers  window seats' },
    ]);
  });

  it('finds nothing in an empty bundle', () => {
    const score = scoreBundle(scenario, bundleOf([]));
    expect(score).toMatchObject({ items: 0, usefulItems: 0, found: [], leaks: [] });
    expect(score.missing).toEqual(['Lisbon', 'aisle']);
  });
});

describe('AnticipationHarness end to end', () => {
  const picked = [
    'support-recurring-router-drops',
    'shopping-new-shipping-address',
    'b2b-sso-provisioning',
  ];
  const scenarios = checkScenarios(SCENARIO_INPUTS).filter((scenario) =>
    picked.includes(scenario.id),
  );
  let harness: AnticipationHarness;
  const runs: ScenarioRun[] = [];

  beforeAll(async () => {
    harness = await AnticipationHarness.start({ memories: 300 });
    for (const scenario of scenarios) runs.push(await harness.run(scenario, 2));
  });
  afterAll(() => harness?.close());

  it('seeds the background memories under the B2C and B2B tenants', () => {
    expect(harness.seeded.seeded).toBe(300);
  });

  it('records each history and waits until the server extracted it', async () => {
    expect(scenarios.map((scenario) => scenario.id).sort()).toEqual([...picked].sort());
    const [jobs] = await harness.seeded.database.query(
      `SELECT count(*) FILTER (WHERE status = 'done')::int AS done,
         count(*) FILTER (WHERE status <> 'done')::int AS other
       FROM jobs WHERE kind = 'extraction'`,
    );
    const withUserTurns = scenarios
      .flatMap((scenario) => scenario.history)
      .filter((conversation) => conversation.turns.some((turn) => turn.role === 'user')).length;
    expect(jobs).toEqual({ done: withUserTurns, other: 0 });
    let memories = 0;
    for (const scenario of scenarios) {
      const stored = await harness.seeded.store.listMemories(
        TENANT_CLIENTS[scenario.tenant].clientId,
        {
          userId: `${scenario.id}.${scenario.user}`,
          ...ownerCustomer(scenario.id, scenario.customer),
        },
      );
      memories += stored.length;
    }
    expect(memories).toBeGreaterThan(0);
  });

  it('answers every probe with a bundle, timed client-side, and scores it', () => {
    for (const run of runs) {
      expect(run.latenciesMs).toHaveLength(2);
      for (const latency of run.latenciesMs) expect(latency).toBeGreaterThan(0);
      expect(run.retrievalMs).toHaveLength(2);
      // Checked against the bundle itself: each found phrase is in an item served, each
      // missing one in none (a partition of mustContain alone would hold by construction).
      const served = run.score.contents.map(normalize);
      const servedSomewhere = (phrase: string) =>
        served.some((content) => content.includes(normalize(phrase)));
      expect(
        run.score.found.filter((phrase) => !servedSomewhere(phrase)),
        run.scenario.id,
      ).toEqual([]);
      expect(run.score.missing.filter(servedSomewhere), run.scenario.id).toEqual([]);
      expect(run.score.items, run.scenario.id).toBe(run.score.contents.length);
    }
    // The scenarios' own history reaches the bundles, and no other party's does.
    expect(runs.reduce((sum, run) => sum + run.score.found.length, 0)).toBeGreaterThan(0);
    expect(runs.flatMap((run) => run.score.leaks.filter((leak) => leak.kind !== 'stale'))).toEqual(
      [],
    );
  });
});

function ownerCustomer(scenarioId: string, customer: string | undefined) {
  return customer ? { customerId: `${scenarioId}.${customer}` } : {};
}
