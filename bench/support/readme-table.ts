import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LatestRow } from './bench-results.js';

/** A row a generated benchmark table shows, picked out of bench/results/latest.json. */
export interface ReadmeRowKey {
  bench: string;
  name: string;
  unit: string;
  backend: string;
}

/**
 * The headline figures, in the order docs/benchmarks.md shows them. Its table is these
 * rows as found in latest.json; a row not measured yet is left out until it is.
 */
export const README_ROWS: readonly ReadmeRowKey[] = [
  ...[
    'ai@7 generateText',
    'ai@7 streamText',
    'ai@6 generateText',
    'ai@6 streamText',
    'LangChain invoke',
    'LangChain stream',
  ].map(
    // Against the framework's own floor (a no-op middleware or handler), as the target is.
    (group) => row('adapters', `${group}: foresight − no-op, p50`, 'µs/call', 'pglite'),
  ),
  row('adapters', 'ai@7 generateText: foresight first call − bare p50', 'µs/call', 'pglite'),
  row('client-cache', 'peek hit (conversation)', 'ns/call', 'none'),
  row('client-cache', 'heap, 10k conversations (gRPC-decoded)', 'MiB', 'none'),
  ...['pglite', 'postgres'].flatMap((backend) => [
    row('server', 'REST batch ingest', 'messages/s', backend),
    row('server', 'context fetch p50', 'ms', backend),
    row('server', 'tool_call → bundle p50', 'ms', backend),
    row('server', 'tool_call → bundle p50 / echo p50', 'x', backend),
  ]),
  row('anticipation', 'held-out overall recall', 'ratio', 'pglite'),
  row('anticipation', 'held-out overall precision', 'ratio', 'pglite'),
  row('anticipation', 'held-out overall stale leaks', 'phrases', 'pglite'),
  row('anticipation', 'held-out overall tenant leaks', 'phrases', 'pglite'),
  row('anticipation', 'held-out overall empty bundles', 'bundles', 'pglite'),
  row('anticipation', 'held-out after learning precision', 'ratio', 'pglite'),
  row('anticipation', 'development overall recall', 'ratio', 'pglite'),
  row('anticipation', 'regression overall recall', 'ratio', 'pglite'),
  row('anticipation', 'development-2 overall recall', 'ratio', 'pglite'),
  row('anticipation', 'development-3 overall recall', 'ratio', 'pglite'),
  row('anticipation', 'held-out overall event → bundle p50', 'ms', 'pglite'),
  row('anticipation', 'held-out overall event → bundle p99', 'ms', 'pglite'),
  row('anticipation-hit-rate', 'hit rate: bundle cached when the call started', '%', 'pglite'),
  row('anticipation-hit-rate', 'calls after a tool call with a context block', '%', 'pglite'),
  row(
    'anticipation-hit-rate',
    '50 conversations, one model, awaitContextMs default 2000: calls after a tool call with their bundle',
    '%',
    'pglite',
  ),
  row('load', 'events answered with a bundle', 'events/s', 'pglite'),
  row('load', 'event → bundle p99', 'ms', 'pglite'),
  row('retrieval-scale', 'anticipate p50 @ 10k', 'ms', 'pglite'),
  row('retrieval-scale', 'anticipate p50 @ 100k', 'ms', 'pglite'),
  row('durability', 'records acknowledged, batches of 50, fsync on', 'records/s', 'pglite'),
  row('inspector', 'conversation page p50 @ 100k memories', 'ms', 'pglite'),
  row('inspector', 'user memories page p50 @ 100k memories', 'ms', 'pglite'),
];

/** The cost of fsync on PGlite, as docs/durability.md shows it. */
export const DURABILITY_ROWS: readonly ReadmeRowKey[] = ['one a request', 'batches of 50'].flatMap(
  (shape) =>
    ['off', 'on'].map((fsync) =>
      row('durability', `records acknowledged, ${shape}, fsync ${fsync}`, 'records/s', 'pglite'),
    ),
);

function row(bench: string, name: string, unit: string, backend: string): ReadmeRowKey {
  return { bench, name, unit, backend };
}

export const TABLE_START =
  '<!-- bench-table:start: generated from bench/results/latest.json by `npm run bench -- --readme` -->';
export const TABLE_END = '<!-- bench-table:end -->';

/** A document with a table generated from latest.json: where, which rows, its start marker. */
export interface GeneratedTable {
  file: string;
  keys: readonly ReadmeRowKey[];
  start: string;
}

/** Every table generated from latest.json; prose around them carries no figures of its own. */
export const GENERATED_TABLES: readonly GeneratedTable[] = [
  { file: 'docs/benchmarks.md', keys: README_ROWS, start: TABLE_START },
  {
    file: 'docs/durability.md',
    keys: DURABILITY_ROWS,
    start:
      '<!-- bench-table:start durability: generated from bench/results/latest.json by `npm run bench -- --readme` -->',
  },
];
const HEADER = ['measurement', 'backend', 'value', 'unit', 'against', 'reproduce'];

/** A row as the README shows it: every cell as text, the value exactly as in latest.json. */
export interface ShownRow extends ReadmeRowKey {
  value: string;
  against: string;
  reproduce: string;
}

/** The command that reproduces a bench's rows (its budget and sizes come from bench/run.mjs). */
export function reproduceCommand(bench: string): string {
  return `npm run bench -- ${bench}`;
}

const sameRow = (a: ReadmeRowKey, b: ReadmeRowKey) =>
  a.bench === b.bench && a.name === b.name && a.unit === b.unit && a.backend === b.backend;

/** The README rows found in latest.json, and the keys of those not found. */
export function shownRows(
  latest: readonly LatestRow[],
  keys: readonly ReadmeRowKey[] = README_ROWS,
): { rows: ShownRow[]; missing: string[] } {
  const rows: ShownRow[] = [];
  const missing: string[] = [];
  for (const key of keys) {
    const found = latest.find((candidate) => sameRow(candidate, key));
    if (!found) {
      missing.push(`${key.bench}: ${key.name} (${key.unit}, ${key.backend})`);
      continue;
    }
    rows.push({
      ...key,
      value: String(found.value),
      against: found.baseline ? `${found.baseline.name}: ${found.baseline.value}` : '',
      reproduce: reproduceCommand(key.bench),
    });
  }
  return { rows, missing };
}

/** The markdown table, between its markers. */
export function renderBenchTable(rows: readonly ShownRow[], start = TABLE_START): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const lines = [
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map((title) => (title === 'value' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map(
      (shown) =>
        `| ${[`${shown.bench}: ${shown.name}`, shown.backend, shown.value, shown.unit, shown.against, `\`${shown.reproduce}\``].map(cell).join(' | ')} |`,
    ),
  ];
  return [start, ...lines, TABLE_END].join('\n');
}

/** The rows of the table in a README, read back cell by cell; throws when the markers are missing. */
export function parseBenchTable(readme: string, marker = TABLE_START): ShownRow[] {
  const start = readme.indexOf(marker);
  const end = readme.indexOf(TABLE_END, start);
  if (start === -1 || end < start) {
    throw new Error(`no benchmark table between "${marker}" and "${TABLE_END}"`);
  }
  const body = readme
    .slice(start + marker.length, end)
    .trim()
    .split('\n')
    .slice(2);
  return body.map((line) => {
    const cells = line
      .replace(/^\|\s*/, '')
      .replace(/\s*\|$/, '')
      .split(/\s*(?<!\\)\|\s*/)
      .map((text) => text.replaceAll('\\|', '|'));
    const [measurement = '', backend = '', value = '', unit = '', against = '', reproduce = ''] =
      cells;
    const colon = measurement.indexOf(': ');
    return {
      bench: measurement.slice(0, colon),
      name: measurement.slice(colon + 2),
      backend,
      value,
      unit,
      against,
      reproduce: reproduce.replace(/^`|`$/g, ''),
    };
  });
}

/** Rewrites every generated table (docs/benchmarks.md, docs/durability.md) from latest.json. */
export function rewriteBenchTables(
  root: string,
): { path: string; rows: number; missing: string[] }[] {
  const latestPath = join(root, 'bench', 'results', 'latest.json');
  const latest: LatestRow[] = existsSync(latestPath)
    ? JSON.parse(readFileSync(latestPath, 'utf8'))
    : [];
  return GENERATED_TABLES.map((table) => {
    const path = join(root, table.file);
    const text = readFileSync(path, 'utf8');
    const start = text.indexOf(table.start);
    const end = text.indexOf(TABLE_END, start);
    if (start === -1 || end < start) {
      throw new Error(
        `${table.file}: no benchmark table markers (${table.start} ... ${TABLE_END})`,
      );
    }
    const { rows, missing } = shownRows(latest, table.keys);
    writeFileSync(
      path,
      text.slice(0, start) +
        renderBenchTable(rows, table.start) +
        text.slice(end + TABLE_END.length),
    );
    return { path, rows: rows.length, missing };
  });
}
