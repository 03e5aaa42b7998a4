// Load: LOAD_STREAMS (default 500) gRPC Listen streams, LOAD_RATE (10) events a second
// each, for LOAD_SECONDS (60), plus LOAD_RECORDERS (5) REST clients recording
// LOAD_RECORD_RATE (5) messages a second each, against one server in a child process on
// LOAD_BACKEND (pglite; or postgres). The server runs in its own process so its RSS and CPU are its own, not
// mixed with the load generator's. Prints events/s held, event → bundle latency, errors
// and the server's RSS; writes bench/results/load.json. A benchmark: it never fails.
// LOAD_PROFILE_DIR=dir writes a CPU profile of the server (.cpuprofile) there.
// On PGlite the server runs it in its own thread, as `foresight serve` does by default;
// LOAD_PGLITE_WORKER=1 runs it on a worker thread (FORESIGHT_PGLITE_WORKER), to compare.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type BenchResult, formatTable, writeResults } from './support/bench-results.js';
import { summarize } from './support/latency-summary.js';
import { runLoadRecorders } from './support/load-recorders.js';
import { runLoadStreams } from './support/load-streams.js';

const STREAMS = Number(process.env.LOAD_STREAMS ?? 500);
const RATE = Number(process.env.LOAD_RATE ?? 10);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const RECORDERS = Number(process.env.LOAD_RECORDERS ?? 5);
const RECORD_RATE = Number(process.env.LOAD_RECORD_RATE ?? 5);
const USERS = Number(process.env.LOAD_USERS ?? 500);
const BACKEND = process.env.LOAD_BACKEND === 'postgres' ? 'postgres' : 'pglite';
const RESULTS = new URL('./results/load.json', import.meta.url).pathname;

interface Listening {
  restUrl: string;
  grpcTarget: string;
  key: string;
  memories: number;
}

/** Resident set and CPU seconds of a process, from /proc (Linux). */
function processStats(pid: number): { rssMiB: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  // Fields 14 and 15 of /proc/pid/stat: user and system time in clock ticks (100 a second).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssMiB: rssKiB / 1024, cpuSeconds: ticks / 100 };
}

const child = spawn(
  process.execPath,
  [
    // LOAD_PROFILE_DIR: a V8 CPU profile of the server, to see where its time goes.
    ...(process.env.LOAD_PROFILE_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LOAD_PROFILE_DIR}`]
      : []),
    '--import',
    'tsx',
    new URL('./support/load-server.ts', import.meta.url).pathname,
  ],
  {
    env: { ...process.env, LOAD_BACKEND: BACKEND, LOAD_USERS: String(USERS) },
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
const exited = new Promise((resolve) => child.once('exit', resolve));
try {
  const listening = await new Promise<Listening>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve(JSON.parse(line) as Listening));
    child.once('exit', (code) => reject(new Error(`load server exited ${code} before listening`)));
  });
  const pid = child.pid as number;
  console.log(
    `server pid ${pid} on ${BACKEND}, ${listening.memories} memories; ${STREAMS} streams × ${RATE} events/s for ${SECONDS} s, ${RECORDERS} REST recorders`,
  );
  const before = processStats(pid);
  let stopRecorders: () => void = () => {};
  const recordersStop = new Promise<void>((resolve) => {
    stopRecorders = resolve;
  });
  const recorders = runLoadRecorders({
    restUrl: listening.restUrl,
    key: listening.key,
    recorders: RECORDERS,
    perSecond: RECORD_RATE,
    users: USERS,
    stop: recordersStop,
  });
  let peakRss = before.rssMiB;
  const started = performance.now();
  const streams = await runLoadStreams(
    {
      grpcTarget: listening.grpcTarget,
      key: listening.key,
      streams: STREAMS,
      eventsPerSecond: RATE,
      streamsPerConnection: 10,
      users: USERS,
    },
    SECONDS,
    (elapsed) => {
      const now = processStats(pid);
      peakRss = Math.max(peakRss, now.rssMiB);
      console.log(`  ${elapsed.toFixed(0)} s: server RSS ${now.rssMiB.toFixed(0)} MiB`);
    },
  );
  const elapsedSeconds = (performance.now() - started) / 1000;
  stopRecorders();
  const rest = await recorders;
  const after = processStats(pid);
  peakRss = Math.max(peakRss, after.rssMiB);

  const latency = streams.latenciesMs.length > 0 ? summarize(streams.latenciesMs) : undefined;
  const restLatency = rest.latenciesMs.length > 0 ? summarize(rest.latenciesMs) : undefined;
  // Shed events are the server saying "too much", as designed: counted apart from failures.
  const errors = streams.errorSignals + streams.streamFailures + rest.errors;
  const note = `${STREAMS} streams × ${RATE}/s offered (${STREAMS * RATE}/s) for ${SECONDS} s; server in a child process${BACKEND === 'pglite' ? (process.env.LOAD_PGLITE_WORKER === '1' ? ', PGlite on a worker thread' : ', PGlite in the server thread') : ''}`;
  const row = (name: string, value: number, unit: string, notes = note): BenchResult => ({
    name,
    value,
    unit,
    backend: BACKEND,
    notes,
  });
  const results: BenchResult[] = [
    row('events offered', streams.sent / SECONDS, 'events/s'),
    row('events answered with a bundle', streams.bundles / elapsedSeconds, 'events/s'),
    row('event → bundle p50', latency?.p50 ?? Number.NaN, 'ms'),
    row('event → bundle p99', latency?.p99 ?? Number.NaN, 'ms'),
    row(
      'events unanswered',
      streams.unanswered,
      'events',
      'shed by the server (overload, throttle) or lost; 5 s settle after the run',
    ),
    row(
      'throttle signals',
      streams.throttleSignals,
      'signals',
      'sent when the server sheds events it cannot keep up with',
    ),
    row('errors', errors, 'count', 'error signals + failed streams + REST failures'),
    row('REST records acknowledged', rest.recorded / elapsedSeconds, 'records/s'),
    row('REST record p99', restLatency?.p99 ?? Number.NaN, 'ms'),
    row('server RSS at start', before.rssMiB, 'MiB', 'after seeding, before load'),
    row('server RSS at end', after.rssMiB, 'MiB'),
    row('server RSS peak (5 s samples)', peakRss, 'MiB'),
    row(
      'server CPU',
      ((after.cpuSeconds - before.cpuSeconds) / elapsedSeconds) * 100,
      '% of one core',
      'user + system time of the server process over the run',
    ),
  ];
  console.log(formatTable(results));
  writeResults(RESULTS, results);
} finally {
  child.stdin?.end();
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}
