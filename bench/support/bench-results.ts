/**
 * How a benchmark reports, the contract `npm run bench` (bench/run.mjs) relies on:
 *
 * - A benchmark is `bench/<name>.bench.ts`; run.mjs finds it by that name, runs it as its
 *   own process (`node --import tsx`), and needs nothing else registered anywhere.
 * - It writes its rows with {@link writeResults} (or {@link reportResults}, which also
 *   rounds and prints them) to `bench/results/<name>.json`: an array of {@link BenchResult}.
 *   After the run, run.mjs gathers every bench's rows into `bench/results/latest.json`
 *   (committed) as {@link LatestRow}s; README's benchmark table is generated from that.
 * - A row that compares against a baseline (an overhead over the bare call, a ratio to a
 *   floor) names it in `baseline`, so the side-by-side figure travels with it.
 * - It keeps to a budget: run.mjs sets `BENCH_BUDGET_MS` (the wall time it will allow
 *   before stopping the process with SIGTERM, then SIGKILL) and, for `npm run bench --
 *   --quick`, `BENCH_QUICK=1` (the smallest size that still exercises every path). Size
 *   knobs a bench reads from env (e.g. `BENCH_ADAPTER_CALLS`) are set per bench in run.mjs.
 * - It exits 0 once its results are written; it measures and never passes or fails.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One row of bench/results/<name>.json. */
export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  /** 'pglite' | 'postgres', or 'none' for a measurement without a store. */
  backend: string;
  notes: string;
  /** What this row is measured against, in the same unit: e.g. the bare model call. */
  baseline?: { name: string; value: number };
}

/** One row of bench/results/latest.json: a bench's row, named by its bench. */
export interface LatestRow {
  /** The bench file's name without `.bench.ts`: `adapters` for bench/adapters.bench.ts. */
  bench: string;
  name: string;
  unit: string;
  /** Rounded with {@link roundValue}. */
  value: number;
  backend: string;
  baseline?: { name: string; value: number };
}

/** Where a bench writes its rows: bench/results/<bench>.json. */
export function resultsPath(bench: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'results', `${bench}.json`);
}

/**
 * Rounds the rows' values (and baselines), writes them to bench/results/<bench>.json and
 * prints them as a table: the one call a new bench needs at its end.
 */
export function reportResults(bench: string, results: readonly BenchResult[]): void {
  const rounded = results.map((result) => ({
    ...result,
    value: roundValue(result.value),
    ...(result.baseline
      ? { baseline: { ...result.baseline, value: roundValue(result.baseline.value) } }
      : {}),
  }));
  const path = resultsPath(bench);
  writeResults(path, rounded);
  console.log(`\n${formatTable(rounded)}\n\nwrote ${path}`);
}

/**
 * The rows as an aligned table; notes become numbered footnotes below it, since
 * inline they would make every line wrap. Rows sharing a note share its number.
 */
export function formatTable(results: readonly BenchResult[]): string {
  const notes: string[] = [];
  const rows = results.map((result) => {
    let mark = '';
    if (result.notes) {
      let index = notes.indexOf(result.notes);
      if (index < 0) index = notes.push(result.notes) - 1;
      mark = `[${index + 1}]`;
    }
    return [result.name, result.backend, formatValue(result.value), result.unit, mark];
  });
  const header = ['measurement', 'backend', 'value', 'unit', 'note'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        // Numbers align right so their digits line up.
        column === 2 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [
    line(header),
    rule,
    ...rows.map(line),
    '',
    ...notes.map((note, index) => `[${index + 1}] ${note}`),
  ].join('\n');
}

export function writeResults(path: string, results: readonly BenchResult[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}

/** Sub-millisecond latencies keep three decimals; throughputs need none. */
export function roundValue(value: number): number {
  if (Math.abs(value) >= 1000) return Math.round(value);
  if (Math.abs(value) >= 10) return Math.round(value * 100) / 100;
  return Math.round(value * 1000) / 1000;
}

function formatValue(value: number): string {
  return roundValue(value).toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** The rows of latest.json as one aligned table (no notes: each bench's own table has them). */
export function formatLatestTable(rows: readonly LatestRow[]): string {
  const header = ['bench', 'measurement', 'backend', 'value', 'unit', 'baseline'];
  const cells = rows.map((row) => [
    row.bench,
    row.name,
    row.backend,
    formatValue(row.value),
    row.unit,
    row.baseline ? `${row.baseline.name}: ${formatValue(row.baseline.value)}` : '',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        column === 3 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [
    line(header),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...cells.map(line),
  ].join('\n');
}
