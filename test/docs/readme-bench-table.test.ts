import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BenchNotes } from '../../bench/support/bench-notes.js';
import type { LatestRow } from '../../bench/support/bench-results.js';
import {
  GENERATED_TABLES,
  parseBenchTable,
  README_ROWS,
  renderBenchTable,
  reproduceCommand,
  shownRows,
  TABLE_END,
} from '../../bench/support/readme-table.js';

const root = new URL('../..', import.meta.url).pathname;
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

  it('has committed notes beside it: how each bench measures', () => {
    const notes: BenchNotes[] = JSON.parse(readFileSync(`${root}bench/results/notes.json`, 'utf8'));
    const benches = [...new Set(latest.map((row) => row.bench))];
    expect(notes.map((entry) => entry.bench).sort()).toEqual(benches.sort());
    for (const entry of notes) expect(entry.method.length, entry.bench).toBeGreaterThan(40);
  });
});

describe.each(GENERATED_TABLES)('the benchmark table of $file', ({ file, keys, start }) => {
  const text = readFileSync(`${root}${file}`, 'utf8');
  const table = parseBenchTable(text, start);

  it('shows every row of its list that latest.json has, and only those', () => {
    const { rows } = shownRows(latest, keys);
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
      const label = `${file} row "${shown.bench}: ${shown.name}" (${shown.unit}, ${shown.backend})`;
      expect(row, `${label} is not in latest.json`).toBeDefined();
      expect(shown.value, `${label}: run \`npm run bench -- --readme\``).toBe(String(row?.value));
      expect(shown.against).toBe(
        row?.baseline ? `${row.baseline.name}: ${row.baseline.value}` : '',
      );
      expect(shown.reproduce).toBe(reproduceCommand(shown.bench));
    }
  });

  it('is exactly what `npm run bench -- --readme` would write', () => {
    const from = text.indexOf(start);
    const end = text.indexOf(TABLE_END, from) + TABLE_END.length;
    expect(text.slice(from, end)).toBe(renderBenchTable(shownRows(latest, keys).rows, start));
  });

  it('reproduces each row with a command that names an existing bench', () => {
    for (const key of keys) {
      expect(readFileSync(`${root}bench/${key.bench}.bench.ts`, 'utf8').length).toBeGreaterThan(0);
    }
  });
});

/**
 * A measured figure in prose (a latency, a rate, a per-call cost) drifts the day the
 * benches are rerun; the generated tables do not. Prose links to them instead.
 */
describe('figures in the prose of the README and docs/', () => {
  const documents = [
    'README.md',
    ...readdirSync(`${root}docs`)
      .filter((file) => file.endsWith('.md') && file !== 'api.md')
      .map((file) => `docs/${file}`),
  ];
  const MEASURED =
    /\d[\d.,]*\s*(?:µs|ns|messages\/s|records\/s|events\/s|\/s\b)|\bp(?:50|99)\b[^|\n]{0,40}\d/;

  it.each(documents)('%s has no measured figure outside a generated table', (document) => {
    let text = readFileSync(`${root}${document}`, 'utf8');
    for (const { start } of GENERATED_TABLES) {
      const from = text.indexOf(start);
      if (from !== -1)
        text = text.slice(0, from) + text.slice(text.indexOf(TABLE_END, from) + TABLE_END.length);
    }
    const lines = text.split('\n').filter((line) => MEASURED.test(line));
    expect(lines, `${document}: take the figure from a generated table, or drop it`).toEqual([]);
  });

  it('catches one (the check can fail)', () => {
    expect(MEASURED.test('batched recording fell from 259 to 168 messages/s')).toBe(true);
    expect(MEASURED.test('event → bundle p50 1.5 ms')).toBe(true);
  });
});

describe('the table module', () => {
  it('lists headline rows of existing benches', () => {
    expect(README_ROWS.length).toBeGreaterThan(0);
  });

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

  it('catches a table value that differs from latest.json', () => {
    const rows = shownRows(latest).rows;
    const edited = renderBenchTable(
      rows.map((row, at) => (at === 0 ? { ...row, value: `${row.value}1` } : row)),
    );
    expect(parseBenchTable(edited)[0]?.value).not.toBe(rows[0]?.value);
  });
});
