import type { BenchResult } from '../support/bench-results.js';
import { percentile } from '../support/latency-summary.js';
import type { ScenarioRun } from './anticipation-harness.js';
import { isTenancyLeak } from './bundle-score.js';

/** Pooled figures of a group of scenario runs (see bundle-score.ts for the definitions). */
export interface GroupFigures {
  group: string;
  scenarios: number;
  /** Scenarios with every phrase found and no leak. */
  passed: number;
  recall: number;
  /** NaN when no bundle of the group had an item. */
  precision: number;
  staleLeaks: number;
  tenancyLeaks: number;
  /** Bundles with no item at all (every scenario has a phrase the user said). */
  empty: number;
  latencyP50: number;
  latencyP99: number;
  retrievalP50: number;
  retrievalP99: number;
}

export function groupFigures(group: string, runs: readonly ScenarioRun[]): GroupFigures {
  let phrases = 0;
  let found = 0;
  let items = 0;
  let useful = 0;
  let staleLeaks = 0;
  let tenancyLeaks = 0;
  let passed = 0;
  let empty = 0;
  const latencies: number[] = [];
  const retrievals: number[] = [];
  for (const run of runs) {
    const { score } = run;
    phrases += score.found.length + score.missing.length;
    found += score.found.length;
    items += score.items;
    useful += score.usefulItems;
    const tenancy = score.leaks.filter((leak) => isTenancyLeak(leak.kind)).length;
    tenancyLeaks += tenancy;
    staleLeaks += score.leaks.length - tenancy;
    if (score.missing.length === 0 && score.leaks.length === 0) passed++;
    if (score.items === 0) empty++;
    latencies.push(...run.latenciesMs);
    retrievals.push(...run.retrievalMs);
  }
  const sortedLatencies = [...latencies].sort((a, b) => a - b);
  const sortedRetrievals = [...retrievals].sort((a, b) => a - b);
  const at = (sorted: number[], fraction: number) =>
    sorted.length > 0 ? percentile(sorted, fraction) : Number.NaN;
  return {
    group,
    scenarios: runs.length,
    passed,
    recall: phrases > 0 ? found / phrases : Number.NaN,
    precision: items > 0 ? useful / items : Number.NaN,
    staleLeaks,
    tenancyLeaks,
    empty,
    latencyP50: at(sortedLatencies, 0.5),
    latencyP99: at(sortedLatencies, 0.99),
    retrievalP50: at(sortedRetrievals, 0.5),
    retrievalP99: at(sortedRetrievals, 0.99),
  };
}

const COLUMNS: { title: string; cell: (figures: GroupFigures) => string }[] = [
  { title: 'group', cell: (f) => f.group },
  { title: 'scenarios', cell: (f) => String(f.scenarios) },
  { title: 'passed', cell: (f) => String(f.passed) },
  { title: 'recall', cell: (f) => fixed(f.recall, 2) },
  { title: 'precision', cell: (f) => fixed(f.precision, 2) },
  { title: 'tenant leaks', cell: (f) => String(f.tenancyLeaks) },
  { title: 'stale leaks', cell: (f) => String(f.staleLeaks) },
  { title: 'empty', cell: (f) => String(f.empty) },
  { title: 'p50 ms', cell: (f) => fixed(f.latencyP50, 2) },
  { title: 'p99 ms', cell: (f) => fixed(f.latencyP99, 2) },
  {
    title: 'retrieval p50/p99 ms',
    cell: (f) => `${fixed(f.retrievalP50, 1)} / ${fixed(f.retrievalP99, 1)}`,
  },
];

/** One line per group, then the overall line under a rule. */
export function formatQualityTable(groups: readonly GroupFigures[], overall: GroupFigures): string {
  const rows = [...groups, overall].map((figures) => COLUMNS.map((column) => column.cell(figures)));
  const widths = COLUMNS.map((column, index) =>
    Math.max(column.title.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) =>
        index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0),
      )
      .join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  const body = rows.map(line);
  return [
    line(COLUMNS.map((column) => column.title)),
    rule,
    ...body.slice(0, -1),
    rule,
    ...body.slice(-1),
  ].join('\n');
}

/**
 * What each failing scenario missed or leaked, with the items the bundle did carry:
 * what the engine needs to be tuned against.
 */
export function formatMisses(runs: readonly ScenarioRun[], maxItems = 8): string {
  const failing = runs.filter((run) => run.score.missing.length > 0 || run.score.leaks.length > 0);
  if (failing.length === 0) return 'every scenario passed';
  const lines: string[] = [];
  for (const { scenario, score, searchQueries } of failing) {
    const probe =
      scenario.probe.eventType === 'tool_call'
        ? `tool_call ${scenario.probe.toolName} ${JSON.stringify(scenario.probe.toolArgs)}`
        : `user_message "${scenario.probe.content}"`;
    lines.push(
      `- ${scenario.id} (${scenario.domain}${scenario.difficulty ? `, ${scenario.difficulty}` : ''}): ${scenario.title}`,
    );
    lines.push(`    probe: ${probe}`);
    lines.push(`    queries: ${searchQueries.map((query) => JSON.stringify(query)).join(', ')}`);
    if (score.missing.length > 0) {
      lines.push(`    missing: ${score.missing.map((phrase) => `"${phrase}"`).join(', ')}`);
    }
    for (const leak of score.leaks) {
      lines.push(`    leaked (${leak.kind}): "${leak.phrase}" in "${clip(leak.item)}"`);
    }
    lines.push(`    bundle: ${score.items} item${score.items === 1 ? '' : 's'}`);
    for (const content of score.contents.slice(0, maxItems)) lines.push(`      · ${clip(content)}`);
    if (score.contents.length > maxItems) {
      lines.push(`      · … ${score.contents.length - maxItems} more`);
    }
  }
  return lines.join('\n');
}

/** The figures as bench result rows, for bench/results/anticipation.json. */
export function benchResults(
  figures: readonly GroupFigures[],
  backend: string,
  notes: string,
): BenchResult[] {
  return figures.flatMap((f) => {
    const row = (name: string, unit: string, value: number): BenchResult => ({
      name: `${f.group} ${name}`,
      unit,
      value,
      backend,
      notes,
    });
    return [
      row('recall', 'ratio', f.recall),
      row('precision', 'ratio', f.precision),
      row('tenant leaks', 'phrases', f.tenancyLeaks),
      row('stale leaks', 'phrases', f.staleLeaks),
      row('empty bundles', 'bundles', f.empty),
      row('event → bundle p50', 'ms', f.latencyP50),
      row('event → bundle p99', 'ms', f.latencyP99),
      row('retrieval_time_ms p50', 'ms', f.retrievalP50),
    ];
  });
}

function fixed(value: number, digits: number): string {
  return Number.isNaN(value) ? '-' : value.toFixed(digits);
}

function clip(text: string, max = 110): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
