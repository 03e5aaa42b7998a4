import { z } from 'zod';

/**
 * One scripted anticipation scenario: a history recorded through the client API, a
 * probe event, and what the bundle pushed back for it must and must not carry.
 *
 * User and customer ids are local to a scenario: the harness prefixes them with the
 * scenario id, so scenarios can reuse natural names ("maya") and run in any order or
 * alone without seeing each other's data.
 */
export const DOMAINS = [
  'travel',
  'coding',
  'support',
  'finance',
  'scheduling',
  'shopping',
  'b2b',
  'health',
  'home',
  'pets',
  'education',
  'fitness',
] as const;
export type Domain = (typeof DOMAINS)[number];

/**
 * What makes a scenario hard. `direct`: the memory shares a word with the probe.
 * `paraphrase`: it shares none; meaning or what the action needs links them. `update`:
 * the fact changed in other words. `temporal`: validity in time (ended or still
 * holding). `multi-hop`: the probe names a relation, who that is and what matters
 * about them live in two memories. `tenant-leak`: others said tempting, similar things.
 */
export const DIFFICULTIES = [
  'direct',
  'paraphrase',
  'update',
  'temporal',
  'multi-hop',
  'tenant-leak',
] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/**
 * Where a conversation is recorded. `consumer` is a B2C app and `business` a B2B one
 * (customer id required); both hold the seeded background memories. `rival` is
 * another company's app on the same server: nothing of it may ever reach a bundle.
 */
export const TENANTS = ['consumer', 'business', 'rival'] as const;
export type TenantName = (typeof TENANTS)[number];

/**
 * Why a phrase must not be in the bundle. `stale`: the probing user said it once and
 * later corrected it. `other-user`: another user of the same tenant (and, in B2B, of
 * the same customer) said it. `other-customer`: a user of another B2B customer said
 * it. `other-tenant`: it was recorded under another client's key.
 */
export const FORBIDDEN_KINDS = ['stale', 'other-user', 'other-customer', 'other-tenant'] as const;
export type ForbiddenKind = (typeof FORBIDDEN_KINDS)[number];

const text = z.string().trim().min(1);

const turnSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: text,
});

const conversationSchema = z.object({
  /** Default: the scenario's tenant. */
  tenant: z.enum(TENANTS).optional(),
  user: text,
  /** Required in the business tenant; other customers of that tenant are leak bait. */
  customer: text.optional(),
  turns: z.array(turnSchema).min(1),
  /**
   * How many days before the probe the conversation happened; its turns are recorded
   * with that time, so relative dates in them ("next Tuesday") are read against it.
   * Default: recorded now.
   */
  daysAgo: z.number().nonnegative().optional(),
});

const probeSchema = z.discriminatedUnion('eventType', [
  z.object({
    eventType: z.literal('tool_call'),
    toolName: text,
    toolArgs: z.record(z.string(), z.unknown()),
    /** Index into `history`: the conversation the agent is in. Default: a fresh one. */
    conversation: z.number().int().nonnegative().optional(),
  }),
  z.object({
    eventType: z.literal('user_message'),
    content: text,
    conversation: z.number().int().nonnegative().optional(),
  }),
]);

const forbiddenSchema = z.object({ phrase: text, kind: z.enum(FORBIDDEN_KINDS) });

export const scenarioSchema = z.object({
  /** kebab-case, unique across all scenarios. */
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case'),
  domain: z.enum(DOMAINS),
  /** Unset in the regression set, which predates the classes. */
  difficulty: z.enum(DIFFICULTIES).optional(),
  /** What the scenario checks, in one line. */
  title: text,
  tenant: z.enum(['consumer', 'business']),
  /** The probing user. */
  user: text,
  customer: text.optional(),
  /** True when the scenario is about a fact the user later corrected. */
  supersession: z.boolean().default(false),
  /** Recorded in this order, each conversation's extraction finished before the next. */
  history: z.array(conversationSchema).min(1),
  probe: probeSchema,
  /** Case-insensitive substrings each of which some bundle item must contain. */
  mustContain: z.array(text).min(1),
  /** Case-insensitive substrings no bundle item may contain. */
  mustNotContain: z.array(forbiddenSchema).default([]),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type Conversation = Scenario['history'][number];
export type Probe = Scenario['probe'];
export type ForbiddenPhrase = Scenario['mustNotContain'][number];

/** A user turn, for terse scenario files. */
export const user = (content: string) => ({ role: 'user' as const, content });
/** An assistant turn. */
export const assistant = (content: string) => ({ role: 'assistant' as const, content });
