// Anticipation quality: scripted scenarios, each a history recorded through the client
// API, extracted by the server in the background, then a probe event over the gRPC
// stream whose pushed-back bundle is scored for recall, precision, leaks and empty
// bundles (definitions in anticipation/bundle-score.ts), with event → bundle latency
// over a store that also holds background memories of other users. Five sets
// (anticipation/scenario-set.ts): `regression` (the 30 written with the engine),
// `development` and `held-out` (written apart from it, split once at random), and
// `development-2` and `development-3` (written apart from it later, all of them to
// develop against).
//
//   ANTICIPATION_SETS      comma-separated sets to run (default: all five)
//   ANTICIPATION_MEMORIES  background memories in the store (default 100000; the
//                          seeded store is cached in the OS temp dir per size)
//   ANTICIPATION_OWN       unrelated memories each probing user has (default 60)
//   ANTICIPATION_REPEATS   timed probes per scenario after the scored one (default 20)
//   ANTICIPATION_ONLY      run only scenarios whose id, domain or class contains this text
//   ANTICIPATION_DUMP      a file to write every scenario's uncut candidates to, with
//                          their scores and phrases (for calibrating the cut)
//   ANTICIPATION_LEARN     0 skips the learning pass (default: after the timed rounds,
//                          report each scored bundle's useful items as used through
//                          `context_used`, probe again, and report those figures apart)
//
// Prints, per set, a table per difficulty class, per domain and overall, then what
// every failing scenario missed or leaked; writes bench/results/anticipation.json.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContextBundle } from '../src/protocol/context-bundle.js';
import {
  AnticipationHarness,
  type RecordedScenario,
  type ScenarioRun,
} from './anticipation/anticipation-harness.js';
import { scoreBundle } from './anticipation/bundle-score.js';
import {
  benchResults,
  formatMisses,
  formatQualityTable,
  type GroupFigures,
  groupFigures,
} from './anticipation/quality-report.js';
import { DIFFICULTIES, DOMAINS, type Scenario } from './anticipation/scenario.js';
import { checkScenarios, normalize } from './anticipation/scenario-check.js';
import { SCENARIO_SETS, type ScenarioSet, scenarioInputs } from './anticipation/scenario-set.js';
import { type BenchResult, roundValue, writeResults } from './support/bench-results.js';

const memories = positiveInteger('ANTICIPATION_MEMORIES', 100_000, 1);
const ownMemories = positiveInteger('ANTICIPATION_OWN', 60, 0);
const repeats = positiveInteger('ANTICIPATION_REPEATS', 20, 0);
const only = process.env.ANTICIPATION_ONLY ?? '';
const learning = (process.env.ANTICIPATION_LEARN ?? '1') !== '0';
const sets = chosenSets(process.env.ANTICIPATION_SETS);

const started = performance.now();
const log = (line: string) =>
  console.log(`  [${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);

const now = new Date();
const bySet = new Map<ScenarioSet, Scenario[]>(
  sets.map((set) => [
    set,
    checkScenarios(scenarioInputs(set, now)).filter(
      (scenario) =>
        !only ||
        scenario.id.includes(only) ||
        scenario.domain.includes(only) ||
        (scenario.difficulty ?? '').includes(only),
    ),
  ]),
);
const scenarios = [...bySet.values()].flat();
if (scenarios.length === 0) {
  console.log(`no scenario matches ANTICIPATION_ONLY="${only}" in ${sets.join(', ')}`);
  process.exit(1);
}

const loadAtStart = loadavg()[0] ?? 0;
const harness = await AnticipationHarness.start({ memories, log, ownMemories });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\n${signal}: cleaning up`);
    void harness.close().finally(() => process.exit(130));
  });
}

const runs: (ScenarioRun & { bundle: ContextBundle; usedItemIds: string[] })[] = [];
/** The same probes after the learning loop (ANTICIPATION_LEARN). */
const learnedRuns: ScenarioRun[] = [];
try {
  log(
    `${harness.seeded.seeded.toLocaleString('en-US')} background memories ` +
      `(${harness.seeded.fromCache ? 'cached' : 'freshly seeded'}), ${ownMemories} own memories a user; ` +
      `recording ${scenarios.length} scenario histories`,
  );
  const recorded = new Map<string, RecordedScenario>();
  for (const scenario of scenarios) recorded.set(scenario.id, await harness.record(scenario));
  const recordedOf = (id: string) => {
    const entry = recorded.get(id);
    if (!entry) throw new Error(`${id}: not recorded`);
    return entry;
  };
  // The first probe of each scenario is the scored one: cold, as an agent meets it.
  // The timed rounds come after it, round-robin over the scenarios as a busy server
  // would see them, so the JIT and the plan cache are warm as in steady state.
  log(`probing: 1 scored round, then ${repeats} timed rounds`);
  for (const scenario of scenarios) {
    const { bundle, latencyMs } = await harness.probe(scenario, recordedOf(scenario.id));
    const score = scoreBundle(scenario, bundle);
    runs.push({
      scenario,
      score,
      searchQueries: bundle.searchQueries,
      latenciesMs: repeats === 0 ? [latencyMs] : [],
      retrievalMs: repeats === 0 ? [bundle.retrievalTimeMs] : [],
      bundle,
      usedItemIds: usefulItemIds(scenario, bundle),
    });
  }
  const dumpTo = process.env.ANTICIPATION_DUMP;
  if (dumpTo) {
    const dump = [];
    for (const run of runs) {
      const { scenario } = run;
      dump.push({
        id: scenario.id,
        difficulty: scenario.difficulty ?? null,
        mustContain: scenario.mustContain,
        mustNotContain: scenario.mustNotContain,
        candidates: await harness.candidates(scenario, recordedOf(scenario.id)),
      });
    }
    writeFileSync(dumpTo, `${JSON.stringify(dump, null, 1)}\n`);
    log(`wrote the uncut candidates of ${dump.length} scenarios to ${dumpTo}`);
  }
  for (let round = 0; round < repeats; round++) {
    for (const run of runs) {
      const { bundle, latencyMs } = await harness.probe(run.scenario, recordedOf(run.scenario.id));
      run.latenciesMs.push(latencyMs);
      run.retrievalMs.push(bundle.retrievalTimeMs);
    }
  }
  if (learning) {
    // The learning loop: the agent reports which served items it used (here: those
    // carrying a required phrase, what a model that needed them would have used), then
    // the same probe is sent again and scored apart.
    log('learning: reporting the used items of each scored bundle, then probing again');
    let reported = 0;
    let counted = 0;
    for (const run of runs) {
      const used = run.usedItemIds ?? [];
      if (used.length === 0) continue;
      reported += used.length;
      counted += await harness.reportUsed(run.scenario, run.bundle, used);
    }
    log(`learning: ${reported} items reported used, ${counted} counted by the server`);
    for (const run of runs) {
      const { bundle } = await harness.probe(run.scenario, recordedOf(run.scenario.id));
      learnedRuns.push({
        scenario: run.scenario,
        score: scoreBundle(run.scenario, bundle),
        searchQueries: bundle.searchQueries,
        latenciesMs: [],
        retrievalMs: [],
      });
    }
  }
} finally {
  await harness.close();
}

console.log(
  `\nanticipation quality: ${runs.length} scenarios, ${harness.seeded.seeded.toLocaleString('en-US')} ` +
    `background memories, ${ownMemories} own memories a user, PGlite, ${repeats} timed probes per scenario; ` +
    `load ${loadAtStart.toFixed(2)} on ${cpus().length} CPUs at the start`,
);
console.log(
  'recall: required phrases found / required; precision: items carrying a required phrase / items;' +
    '\nleaks: forbidden phrases found (tenant = other user, customer or client; stale = corrected or' +
    '\nexpired fact); empty: bundles without an item; latency: client-side, sendMessage → bundle' +
    '\narrival over gRPC; retrieval: the bundle’s retrieval_time_ms.',
);
const results: BenchResult[] = [];
for (const set of sets) {
  const setRuns = runs.filter((run) => bySet.get(set)?.includes(run.scenario));
  if (setRuns.length === 0) continue;
  const grouped = (names: readonly string[], key: (run: ScenarioRun) => string | undefined) =>
    names
      .map((name) =>
        groupFigures(
          name,
          setRuns.filter((run) => key(run) === name),
        ),
      )
      .filter((figures) => figures.scenarios > 0);
  const classes = grouped(DIFFICULTIES, (run) => run.scenario.difficulty);
  const domains = grouped(DOMAINS, (run) => run.scenario.domain);
  const overall = groupFigures('overall', setRuns);
  console.log(`\n## ${set}: ${setRuns.length} scenarios\n`);
  if (classes.length > 0) console.log(`${formatQualityTable(classes, overall)}\n`);
  console.log(formatQualityTable(domains, overall));
  console.log(`\nmisses (${set}):\n${formatMisses(setRuns)}`);
  const learnedSet = learnedRuns.filter((run) => bySet.get(set)?.includes(run.scenario));
  if (learnedSet.length > 0) {
    const learned = groupFigures('after learning', learnedSet);
    console.log(
      `\n${set}, the same probes after the agent reported what it used (context_used):\n` +
        formatQualityTable([{ ...overall, group: 'before' }], learned),
    );
    results.push(
      // Quality only: these probes are not timed.
      ...benchResults(
        [{ ...learned, group: `${set} after learning` }],
        'pglite',
        `the ${set} probes again after context_used reported each bundle's useful items`,
      ).filter((result) => result.unit !== 'ms'),
    );
  }
  const prefixed = (figures: GroupFigures[]) =>
    figures.map((f) => ({ ...f, group: `${set} ${f.group}` }));
  results.push(
    ...benchResults(
      prefixed([...classes, overall]),
      'pglite',
      `${setRuns.length} scenarios of the ${set} set over ${harness.seeded.seeded} background memories ` +
        `and ${ownMemories} own memories a user (PGlite); recall/precision pooled over phrases/items; ` +
        `latency over ${repeats} warm probes a scenario`,
    ),
  );
}

const output = join(dirname(fileURLToPath(import.meta.url)), 'results', 'anticipation.json');
writeResults(
  output,
  results.map((result) => ({ ...result, value: roundValue(result.value) })),
);
console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s; wrote ${output}`);

function chosenSets(raw: string | undefined): ScenarioSet[] {
  if (!raw) return [...SCENARIO_SETS];
  const chosen = raw.split(',').map((name) => name.trim());
  for (const name of chosen) {
    if (!(SCENARIO_SETS as readonly string[]).includes(name)) {
      throw new Error(`ANTICIPATION_SETS: "${name}" is not one of ${SCENARIO_SETS.join(', ')}`);
    }
  }
  return chosen as ScenarioSet[];
}

function positiveInteger(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name}: must be an integer of at least ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Items of the bundle that carry one of the scenario's required phrases. */
function usefulItemIds(scenario: Scenario, bundle: ContextBundle): string[] {
  const required = scenario.mustContain.map(normalize);
  return Object.values(bundle.itemsByType)
    .flatMap((items) => items ?? [])
    .filter((item) => required.some((phrase) => normalize(item.content).includes(phrase)))
    .map((item) => item.itemId);
}
