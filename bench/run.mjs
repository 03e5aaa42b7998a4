#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts (found by name, so a new one joins by
// existing), each as its own process within a budget, prints one table of all their rows
// and gathers them into bench/results/latest.json (committed; README's table comes from
// it). The contract a bench keeps is at the top of bench/support/bench-results.ts.
//
//   npm run bench                    every bench, about 10 minutes on 2 cores in all
//   npm run bench -- adapters        bench/adapters.bench.ts alone (or a name prefix)
//   npm run bench -- --quick [name]  smallest sizes, to check the plumbing; writes
//                                    bench/results/latest.quick.json, not latest.json
//   npm run bench -- --readme        rewrites the tables of docs/benchmarks.md and
//                                    docs/durability.md from latest.json
//   npm run bench -- --collect [name]  runs nothing: gathers the bench/results/<bench>.json
//                                    already written (e.g. by `npx tsx bench/x.bench.ts`)
//
// Benchmarks measure; they never pass or fail. This exits 1 only when a bench crashed or
// ran over its budget (its previous rows in latest.json are then kept, and it says so).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { formatLatestTable, resultsPath, roundValue } = await import('./support/bench-results.ts');

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

/** Whole run, s: under 13 minutes on 2 cores, with the process start-ups. */
const TOTAL_BUDGET_S = 780;
/** A bench not listed in PLAN gets this budget and only `BENCH_BUDGET_MS` to size itself. */
const DEFAULT_BUDGET_S = 45;
/**
 * Per bench: its wall-time budget, the sizes that fit it (env knobs the bench reads), and
 * its smallest sizes for --quick (null: no small mode, skipped by --quick). Listed in run
 * order; benches found but not listed run after them.
 */
const PLAN = {
  // About five minutes by design (bench/server.bench.ts); first, so it always gets them.
  server: { budgetS: 270, env: {}, quick: null },
  'client-cache': { budgetS: 45, env: {}, quick: {} },
  adapters: {
    // ai@7 streamText alone took 70 s of 150 on this machine (2026-12-07): 120 cut it off.
    budgetS: 240,
    // The default 20k calls a variant: at 5k, streamText's p50 moved by ±3 µs run to run.
    env: {},
    quick: { BENCH_ADAPTER_CALLS: '200' },
  },
  anticipation: {
    // The issue's scale: 100k background memories (seeded in about 15 s, cached after),
    // 310 scenario histories of five sets recorded and extracted, then timed probes.
    budgetS: 270,
    env: { ANTICIPATION_MEMORIES: '100000', ANTICIPATION_REPEATS: '10' },
    quick: {
      ANTICIPATION_MEMORIES: '200',
      ANTICIPATION_REPEATS: '1',
      ANTICIPATION_SETS: 'regression',
    },
  },
  'anticipation-hit-rate': {
    // The seeding, the single-agent loops, then 20 and 50 conversations on one model.
    budgetS: 120,
    env: {},
    quick: {
      BENCH_HIT_RATE_LOOPS: '4',
      BENCH_HIT_RATE_MEMORIES: '1000',
      BENCH_HIT_RATE_SHARED: '4',
    },
  },
  'retrieval-scale': {
    budgetS: 45,
    env: { RETRIEVAL_SIZES: '10000,100000' },
    quick: { RETRIEVAL_SIZES: '1000' },
  },
  // A child server starts and warms up before the 10 s of load.
  load: { budgetS: 60, env: { LOAD_SECONDS: '10' }, quick: { LOAD_SECONDS: '2' } },
  durability: { budgetS: 45, env: { DURABILITY_SECONDS: '4' }, quick: { DURABILITY_SECONDS: '1' } },
  // The issue's scale: 100k memories (bulk-seeded in about 15 s idle), then each page timed.
  inspector: {
    budgetS: 150,
    env: { INSPECTOR_MEMORIES: '100000' },
    quick: { INSPECTOR_MEMORIES: '1000', INSPECTOR_SAMPLES: '20' },
  },
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const collect = args.includes('--collect');
if (args.includes('--readme')) {
  const { rewriteBenchTables } = await import('./support/readme-table.ts');
  const { writeBenchNotes } = await import('./support/bench-notes.ts');
  const latest = JSON.parse(readFileSync(join(here, 'results', 'latest.json'), 'utf8'));
  writeBenchNotes(here, [...new Set(latest.map((row) => row.bench))], new Map());
  for (const { path, rows, missing } of rewriteBenchTables(root)) {
    console.log(
      `rewrote the benchmark table of ${path}: ${rows} rows from bench/results/latest.json`,
    );
    for (const row of missing) console.log(`  not in latest.json yet, left out: ${row}`);
  }
  process.exit(0);
}
const only = args.find((arg) => !arg.startsWith('--'));
const found = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.slice(0, -'.bench.ts'.length))
  // An exact name runs that bench alone (`anticipation` is not `anticipation-hit-rate`);
  // otherwise the name is a prefix.
  .filter(
    (bench, _, all) => !only || (all.includes(only) ? bench === only : bench.startsWith(only)),
  );
const order = Object.keys(PLAN);
const benches = found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
function rank(bench) {
  const at = order.indexOf(bench);
  return at === -1 ? order.length : at;
}
if (benches.length === 0) {
  console.log(only ? `no benchmark matches "${only}"` : 'no benchmarks in bench/ yet');
  process.exit(only ? 1 : 0);
}

const latestPath = join(here, 'results', quick ? 'latest.quick.json' : 'latest.json');
const previous = existsSync(latestPath) ? JSON.parse(readFileSync(latestPath, 'utf8')) : [];
const fresh = new Map();
/** Each bench that ran: its rows with their notes, for bench/results/notes.json. */
const freshNotes = new Map();
const problems = [];
const started = Date.now();
for (const bench of benches) {
  const plan = PLAN[bench] ?? { budgetS: DEFAULT_BUDGET_S, env: {}, quick: {} };
  if (quick && plan.quick === null) {
    console.log(`\n== ${bench}: no small mode, skipped by --quick`);
    continue;
  }
  if (collect) {
    const output = resultsPath(bench);
    if (existsSync(output)) {
      fresh.set(bench, latestRows(bench, JSON.parse(readFileSync(output, 'utf8'))));
      freshNotes.set(bench, JSON.parse(readFileSync(output, 'utf8')));
    } else problems.push(`${bench}: no ${output} to collect`);
    continue;
  }
  const leftS = TOTAL_BUDGET_S - (Date.now() - started) / 1000;
  const budgetS = Math.min(plan.budgetS, leftS);
  if (budgetS < 5) {
    problems.push(`${bench}: skipped, the run's ${TOTAL_BUDGET_S} s were spent`);
    continue;
  }
  const env = {
    ...(quick ? plan.quick : plan.env),
    BENCH_BUDGET_MS: String(Math.round(budgetS * 1000)),
  };
  if (quick) env.BENCH_QUICK = '1';
  console.log(`\n== ${bench} (budget ${Math.round(budgetS)} s${describe(env)})`);
  const benchStarted = Date.now();
  const outcome = await runBench(bench, env, budgetS);
  const output = resultsPath(bench);
  if (outcome !== 'ok') {
    problems.push(`${bench}: ${outcome}; its previous rows are kept`);
  } else if (!existsSync(output) || statSync(output).mtimeMs < benchStarted) {
    problems.push(`${bench}: exited 0 but did not write ${output}`);
  } else {
    fresh.set(bench, latestRows(bench, JSON.parse(readFileSync(output, 'utf8'))));
    freshNotes.set(bench, JSON.parse(readFileSync(output, 'utf8')));
  }
}

// Benches that did not run this time keep their rows: one bench can be re-run alone.
const merged = [
  ...previous.filter((row) => !fresh.has(row.bench)),
  ...[...fresh.values()].flat(),
].sort((a, b) => rank(a.bench) - rank(b.bench) || a.bench.localeCompare(b.bench));
writeFileSync(latestPath, `${JSON.stringify(merged, null, 2)}\n`);
if (!quick) {
  const { writeBenchNotes } = await import('./support/bench-notes.ts');
  const inLatest = [...new Set(merged.map((row) => row.bench))];
  console.log(`wrote ${writeBenchNotes(here, inLatest, freshNotes)}`);
}
const ran = merged.filter((row) => fresh.has(row.bench));
console.log(`\n== all benches (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
console.log(formatLatestTable(ran));
console.log(`\nwrote ${latestPath} (${ran.length} new rows, ${merged.length - ran.length} kept)`);
if (!quick && fresh.size > 0) console.log('docs tables: npm run bench -- --readme');
for (const problem of problems) console.log(`!! ${problem}`);
process.exit(problems.length > 0 ? 1 : 0);

function describe(env) {
  const knobs = Object.entries(env).filter(([name]) => name !== 'BENCH_BUDGET_MS');
  return knobs.length === 0
    ? ''
    : `; ${knobs.map(([name, value]) => `${name}=${value}`).join(' ')}`;
}

/** The bench's rows as latest.json keeps them: named by bench, rounded, without notes. */
function latestRows(bench, results) {
  return results.map((result) => ({
    bench,
    name: result.name,
    unit: result.unit,
    value: roundValue(result.value),
    backend: result.backend,
    ...(result.baseline
      ? { baseline: { name: result.baseline.name, value: roundValue(result.baseline.value) } }
      : {}),
  }));
}

/**
 * Runs one bench in its own process group, so a bench that starts children (a server in
 * a child process) is stopped whole: SIGTERM at its budget, SIGKILL 10 s later.
 */
function runBench(bench, env, budgetS) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, `${bench}.bench.ts`)], {
      cwd: root,
      stdio: 'inherit',
      detached: true,
      env: { ...process.env, ...env },
    });
    let overBudget = false;
    let killTimer;
    const budgetTimer = setTimeout(() => {
      overBudget = true;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 10_000);
    }, budgetS * 1000);
    const stop = () => signalGroup(child.pid, 'SIGTERM');
    process.once('SIGINT', stop);
    child.once('exit', (code, signal) => {
      clearTimeout(budgetTimer);
      clearTimeout(killTimer);
      process.off('SIGINT', stop);
      if (overBudget) resolve(`stopped after its budget of ${Math.round(budgetS)} s`);
      else if (code === 0) resolve('ok');
      else resolve(`exited with ${code ?? signal}`);
    });
  });
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone: nothing to stop.
  }
}
