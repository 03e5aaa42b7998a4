import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LatestRow } from '../../bench/support/bench-results.js';
import {
  parseBenchTable,
  README_ROWS,
  renderBenchTable,
  reproduceCommand,
  shownRows,
} from '../../bench/support/readme-table.js';

const root = new URL('../..', import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, 'utf8');
const latest: LatestRow[] = JSON.parse(readFileSync(`${root}bench/results/latest.json`, 'utf8'));

describe('bench/results/latest.json', () => {
  it('holds rows of the documented shape, values rounded as the benches round them', () => {
    expect(latest.length).toBeGreaterThan(0);
    for (const row of latest) {
      expect(row).toEqual({
        bench: expect.stringMatching(/^[\w-]+$/),
        name: expect.any(String),
        unit: expect.any(String),
        value: expect.any(Number),
        backend: expect.any(String),
        ...(row.baseline
          ? { baseline: { name: expect.any(String), value: expect.any(Number) } }
          : {}),
      });
    }
  });
});

describe("README's benchmark table", () => {
  const table = parseBenchTable(readme);

  it('shows every headline row latest.json has, and only those', () => {
    const { rows } = shownRows(latest);
    expect(table.map((row) => `${row.bench}: ${row.name}`)).toEqual(
      rows.map((row) => `${row.bench}: ${row.name}`),
    );
  });

  it('matches latest.json in every row: value as in the file, unit, backend, baseline', () => {
    expect(table.length).toBeGreaterThan(0);
    for (const shown of table) {
      const row = latest.find(
        (candidate) =>
          candidate.bench === shown.bench &&
          candidate.name === shown.name &&
          candidate.unit === shown.unit &&
          candidate.backend === shown.backend,
      );
      const label = `README row "${shown.bench}: ${shown.name}" (${shown.unit}, ${shown.backend})`;
      expect(row, `${label} is not in latest.json`).toBeDefined();
      expect(shown.value, `${label}: run \`npm run bench -- --readme\``).toBe(String(row?.value));
      expect(shown.against).toBe(
        row?.baseline ? `${row.baseline.name}: ${row.baseline.value}` : '',
      );
      expect(shown.reproduce).toBe(reproduceCommand(shown.bench));
    }
  });

  it('is exactly what `npm run bench -- --readme` would write', () => {
    const start = readme.indexOf('<!-- bench-table:start');
    const end = readme.indexOf('<!-- bench-table:end -->') + '<!-- bench-table:end -->'.length;
    expect(readme.slice(start, end)).toBe(renderBenchTable(shownRows(latest).rows));
  });

  it('reproduces each row with a command that names an existing bench', () => {
    for (const key of README_ROWS) {
      expect(readFileSync(`${root}bench/${key.bench}.bench.ts`, 'utf8').length).toBeGreaterThan(0);
    }
  });
});

describe('the table module', () => {
  it('reads back what it renders, a value or a name with a pipe included', () => {
    const rows = shownRows([
      {
        bench: 'adapters',
        name: 'ai@7 generateText: foresight − no-op, p50',
        unit: 'µs/call',
        value: 12.89,
        backend: 'pglite',
        baseline: { name: 'a | b', value: 37.76 },
      },
    ]).rows;
    expect(rows).toHaveLength(1);
    expect(parseBenchTable(renderBenchTable(rows))).toEqual(rows);
  });

  it('catches a README value that differs from latest.json', () => {
    const rows = shownRows(latest).rows;
    const edited = renderBenchTable(
      rows.map((row, at) => (at === 0 ? { ...row, value: `${row.value}1` } : row)),
    );
    expect(parseBenchTable(edited)[0]?.value).not.toBe(rows[0]?.value);
  });
});
