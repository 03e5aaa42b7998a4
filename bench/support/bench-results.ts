import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One row of bench/results/<name>.json. */
export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  /** 'pglite' | 'postgres', or 'none' for a measurement without a store. */
  backend: string;
  notes: string;
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
