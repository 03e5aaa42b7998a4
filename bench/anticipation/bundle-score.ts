// How one bundle is scored against its scenario. The definitions, exactly:
//
// - An *item* is one entry of `bundle.itemsByType` (memories and past messages alike).
//   The conversation context (recent turns, summary) is not an item: it is the
//   conversation the agent already has, not something anticipated.
// - A phrase *matches* an item when the item's content, normalized (lower case, ASCII
//   quotes, single spaces), contains the normalized phrase as a substring.
// - recall = mustContain phrases matched by at least one item / mustContain phrases.
// - precision = items matching at least one mustContain phrase / items. Only the
//   scenario's own required phrases count as useful: an on-topic item the author did
//   not ask for counts against precision, so the figure is a lower bound, never padded.
//   A bundle with no item has no precision (and recall 0 from the first rule).
// - leaks = mustNotContain phrases matched by at least one item, each counted once
//   per scenario, by kind: `stale` (a corrected fact of the user's own) apart from
//   the tenancy kinds (`other-user`, `other-customer`, `other-tenant`).
// Overall figures are pooled, not averaged per scenario: recall over all phrases,
// precision over all items, so a scenario with many phrases weighs more.
import type { ContextBundle } from '../../src/protocol/context-bundle.js';
import type { ForbiddenKind, Scenario } from './scenario.js';
import { normalize } from './scenario-check.js';

export interface BundleScore {
  items: number;
  /** Items matching some mustContain phrase. */
  usefulItems: number;
  found: string[];
  missing: string[];
  leaks: { phrase: string; kind: ForbiddenKind; item: string }[];
  /** Every item's content, for the miss report. */
  contents: string[];
}

export function scoreBundle(scenario: Scenario, bundle: ContextBundle): BundleScore {
  const contents = Object.values(bundle.itemsByType).flatMap((items) =>
    (items ?? []).map((item) => item.content),
  );
  const normalized = contents.map(normalize);
  const matches = (phrase: string) => {
    const wanted = normalize(phrase);
    return normalized.findIndex((content) => content.includes(wanted));
  };
  const found: string[] = [];
  const missing: string[] = [];
  for (const phrase of scenario.mustContain) {
    (matches(phrase) >= 0 ? found : missing).push(phrase);
  }
  const required = scenario.mustContain.map(normalize);
  const usefulItems = normalized.filter((content) =>
    required.some((phrase) => content.includes(phrase)),
  ).length;
  const leaks: BundleScore['leaks'] = [];
  for (const { phrase, kind } of scenario.mustNotContain) {
    const index = matches(phrase);
    if (index >= 0) leaks.push({ phrase, kind, item: contents[index] ?? '' });
  }
  return { items: contents.length, usefulItems, found, missing, leaks, contents };
}

/** True when the tenancy rules were broken (as opposed to serving a stale fact). */
export function isTenancyLeak(kind: ForbiddenKind): boolean {
  return kind !== 'stale';
}
