import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from './bench-results.js';

/**
 * bench/results/notes.json, committed with latest.json: for each bench, how it measures
 * (the header comment of bench/<bench>.bench.ts) and the notes each row got on the run
 * latest.json holds (sizes, machine load, what was compared). The per-run files
 * bench/results/<bench>.json stay uncommitted; this is what docs/benchmarks.md points to.
 */
export interface BenchNotes {
  bench: string;
  method: string;
  rows: { name: string; backend: string; notes: string }[];
}

/** The leading `//` comment of a bench file, as one paragraph. */
export function benchMethod(benchDir: string, bench: string): string {
  const lines = readFileSync(join(benchDir, `${bench}.bench.ts`), 'utf8').split('\n');
  const comment: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('//')) break;
    comment.push(line.replace(/^\/\/ ?/, ''));
  }
  return comment.join(' ').replace(/\s+/g, ' ').trim();
}

/**
 * Rewrites notes.json: every bench of `benches` gets its method; a bench that ran now
 * (`fresh`) gets its rows' notes, the others keep the notes they had.
 */
export function writeBenchNotes(
  benchDir: string,
  benches: readonly string[],
  fresh: ReadonlyMap<string, readonly BenchResult[]>,
): string {
  const path = join(benchDir, 'results', 'notes.json');
  const previous: BenchNotes[] = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : [];
  const notes = benches.map(
    (bench): BenchNotes => ({
      bench,
      method: benchMethod(benchDir, bench),
      rows:
        fresh.get(bench)?.map((result) => ({
          name: result.name,
          backend: result.backend,
          notes: result.notes,
        })) ??
        previous.find((entry) => entry.bench === bench)?.rows ??
        [],
    }),
  );
  writeFileSync(path, `${JSON.stringify(notes, null, 2)}\n`);
  return path;
}
