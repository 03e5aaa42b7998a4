import type { BenchResult } from './bench-results.js';
import { type LatencySummary, summarize } from './latency-summary.js';

/** One way of making the same model call: bare, through a no-op floor, through Foresight. */
export interface Variant {
  name: string;
  call: () => Promise<void>;
  /** Run between blocks, untimed: e.g. dropping the calls a mock model remembers. */
  reset?: () => void;
}

export interface InterleaveOptions {
  warmupCalls: number;
  calls: number;
  /** Calls of one variant in a row before the next variant's turn. */
  blockSize: number;
}

/**
 * Times every call of every variant (µs, `performance.now`), in blocks that take turns:
 * A B C, then B C A, then C A B... Drift over the run (CPU frequency, GC pressure, JIT
 * tiering, another process) then lands on all variants alike instead of on whichever
 * ran last, and rotating who goes first cancels any effect of following a given variant.
 * The warm-up is interleaved the same way, so every code path is hot before timing.
 */
export async function measureInterleaved(
  variants: readonly Variant[],
  options: InterleaveOptions,
): Promise<Map<string, LatencySummary>> {
  const run = async (calls: number, record: boolean) => {
    const samples = variants.map(() => new Float64Array(calls));
    const rounds = Math.ceil(calls / options.blockSize);
    for (let round = 0; round < rounds; round++) {
      const from = round * options.blockSize;
      const to = Math.min(calls, from + options.blockSize);
      for (let turn = 0; turn < variants.length; turn++) {
        const index = (round + turn) % variants.length;
        const variant = variants[index] as Variant;
        const series = samples[index] as Float64Array;
        variant.reset?.();
        // Untimed: a mock call never waits on I/O, so a tight loop of them would starve the
        // event loop, and the client's gRPC stream would miss its heartbeats and reconnect
        // (it did, over a minute of streamText). A real model call yields on every request.
        await new Promise<void>((resolve) => setImmediate(resolve));
        for (let call = from; call < to; call++) {
          const started = performance.now();
          await variant.call();
          series[call] = (performance.now() - started) * 1000;
        }
      }
    }
    return record ? samples : undefined;
  };
  await run(options.warmupCalls, false);
  const samples = (await run(options.calls, true)) ?? [];
  return new Map(
    variants.map((variant, index) => [variant.name, summarize(Array.from(samples[index] ?? []))]),
  );
}

/**
 * The rows of one group (one framework call): p50 and mean of each variant, then the
 * overhead of each later variant over each earlier one, in µs and in % of the earlier.
 * `comparisons` names the pairs, e.g. [['foresight', 'bare'], ['foresight', 'no-op']].
 */
export function overheadRows(
  group: string,
  summaries: ReadonlyMap<string, LatencySummary>,
  comparisons: readonly (readonly [string, string])[],
  notes: string,
): BenchResult[] {
  const rows: BenchResult[] = [];
  const row = (name: string, unit: string, value: number, baseline?: BenchResult['baseline']) =>
    rows.push({
      name: `${group}: ${name}`,
      unit,
      value,
      backend: 'pglite',
      notes,
      ...(baseline ? { baseline } : {}),
    });
  for (const [name, summary] of summaries) {
    row(`${name} p50`, 'µs/call', summary.p50);
    row(`${name} mean`, 'µs/call', summary.mean);
  }
  for (const [over, base] of comparisons) {
    const a = summaries.get(over);
    const b = summaries.get(base);
    if (a === undefined || b === undefined) throw new Error(`no variant ${over} or ${base}`);
    for (const stat of ['p50', 'mean'] as const) {
      const delta = a[stat] - b[stat];
      // The side-by-side figure: what the overhead is measured against.
      const baseline = { name: `${group}: ${base} ${stat}`, value: b[stat] };
      row(`${over} − ${base}, ${stat}`, 'µs/call', delta, baseline);
      row(`${over} − ${base}, ${stat}`, '%', (delta / b[stat]) * 100, baseline);
    }
  }
  return rows;
}
