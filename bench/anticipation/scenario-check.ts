import {
  type Conversation,
  type ForbiddenKind,
  type Scenario,
  type ScenarioInput,
  scenarioSchema,
  type TenantName,
} from './scenario.js';

/**
 * Parses every scenario and checks that each one can be scored fairly: a phrase the
 * bundle must carry was said by the probing user, a stale phrase too, and each
 * other-party phrase was said by that other party and never by the probing user (or
 * finding it would not prove a leak). Throws one error listing every problem, each
 * naming the scenario and the field.
 */
export function checkScenarios(inputs: readonly ScenarioInput[]): Scenario[] {
  const problems: string[] = [];
  const scenarios: Scenario[] = [];
  const seen = new Set<string>();
  inputs.forEach((input, index) => {
    const parsed = scenarioSchema.safeParse(input);
    if (!parsed.success) {
      const name = typeof input?.id === 'string' ? input.id : `#${index}`;
      for (const issue of parsed.error.issues) {
        problems.push(`${name}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      }
      return;
    }
    const scenario = parsed.data;
    if (seen.has(scenario.id)) problems.push(`${scenario.id}: id: is used twice`);
    seen.add(scenario.id);
    problems.push(...scenarioProblems(scenario).map((problem) => `${scenario.id}: ${problem}`));
    scenarios.push(scenario);
  });
  if (problems.length > 0) {
    throw new Error(`invalid anticipation scenarios:\n  ${problems.join('\n  ')}`);
  }
  return scenarios;
}

/** The tenant a conversation is recorded in. */
export function tenantOf(scenario: Scenario, conversation: Conversation): TenantName {
  return conversation.tenant ?? scenario.tenant;
}

/** True when the conversation belongs to the probing user (same tenant, user, customer). */
export function isProbingUsers(scenario: Scenario, conversation: Conversation): boolean {
  return (
    tenantOf(scenario, conversation) === scenario.tenant &&
    conversation.user === scenario.user &&
    (conversation.customer ?? '') === (scenario.customer ?? '')
  );
}

function scenarioProblems(scenario: Scenario): string[] {
  const problems: string[] = [];
  if (scenario.tenant === 'business' && !scenario.customer) {
    problems.push('customer: is required in the business tenant');
  }
  scenario.history.forEach((conversation, index) => {
    const tenant = tenantOf(scenario, conversation);
    if (tenant === 'business' && !conversation.customer) {
      problems.push(`history.${index}.customer: is required in the business tenant`);
    }
    if (tenant !== 'business' && conversation.customer) {
      problems.push(`history.${index}.customer: only business conversations have one`);
    }
  });
  if (!scenario.history.some((conversation) => isProbingUsers(scenario, conversation))) {
    problems.push('history: has no conversation of the probing user');
  }
  const probeIndex = scenario.probe.conversation;
  if (probeIndex !== undefined) {
    const conversation = scenario.history[probeIndex];
    if (!conversation) problems.push(`probe.conversation: no history entry ${probeIndex}`);
    else if (!isProbingUsers(scenario, conversation)) {
      problems.push(`probe.conversation: history entry ${probeIndex} is not the probing user's`);
    }
  }

  const own = said(scenario, (conversation) => isProbingUsers(scenario, conversation));
  for (const phrase of scenario.mustContain) {
    if (!own.includes(normalize(phrase))) {
      problems.push(`mustContain: "${phrase}" is never said in the probing user's history`);
    }
  }
  for (const { phrase, kind } of scenario.mustNotContain) {
    const wanted = normalize(phrase);
    for (const required of scenario.mustContain) {
      const other = normalize(required);
      if (other.includes(wanted) || wanted.includes(other)) {
        problems.push(`mustNotContain: "${phrase}" overlaps mustContain "${required}"`);
      }
    }
    if (kind === 'stale') {
      if (!own.includes(wanted)) {
        problems.push(`mustNotContain: stale "${phrase}" is never said by the probing user`);
      }
      continue;
    }
    if (own.includes(wanted)) {
      problems.push(`mustNotContain: ${kind} "${phrase}" is also said by the probing user`);
    }
    const source = said(scenario, (conversation) => partyMatches(scenario, conversation, kind));
    if (!source.includes(wanted)) {
      problems.push(`mustNotContain: ${kind} "${phrase}" is said by no ${kind} conversation`);
    }
  }
  return problems;
}

/** Whether a conversation is of the party a forbidden phrase's kind names. */
function partyMatches(scenario: Scenario, conversation: Conversation, kind: ForbiddenKind) {
  const tenant = tenantOf(scenario, conversation);
  switch (kind) {
    case 'other-tenant':
      return tenant !== scenario.tenant;
    case 'other-customer':
      return (
        tenant === scenario.tenant &&
        scenario.tenant === 'business' &&
        conversation.customer !== scenario.customer
      );
    case 'other-user':
      return (
        tenant === scenario.tenant &&
        (conversation.customer ?? '') === (scenario.customer ?? '') &&
        conversation.user !== scenario.user
      );
    default:
      return false;
  }
}

/** Every turn of the matching conversations, normalized and joined. */
function said(scenario: Scenario, keep: (conversation: Conversation) => boolean): string {
  return scenario.history
    .filter(keep)
    .flatMap((conversation) => conversation.turns.map((turn) => normalize(turn.content)))
    .join('\n');
}

/**
 * How phrases and item texts are compared: lower case, typographic quotes as ASCII,
 * runs of white space as one space.
 */
export function normalize(value: string): string {
  return value.toLowerCase().replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ');
}
