/** What a tracker reports, as the examples print it (a subset of `TrackerStats`). */
export interface ReportedStats {
  status: string;
  degradedReason?: string;
  recorded: number;
  deduped: number;
  eventsSent: number;
  failures: Record<string, number>;
}

/**
 * Prints what Foresight did during the run: turns recorded, events sent, failures. Call
 * it after `tracker.flush()`, so the fire-and-forget recordings have settled.
 */
export function printStats(stats: ReportedStats): void {
  const failures = Object.values(stats.failures).reduce((sum, count) => sum + count, 0);
  console.log(
    `foresight: recorded ${stats.recorded} turns, deduped ${stats.deduped}, sent ${stats.eventsSent} events, ` +
      `${failures} failures, status ${stats.status}` +
      (stats.degradedReason ? ` (${stats.degradedReason})` : ''),
  );
}
