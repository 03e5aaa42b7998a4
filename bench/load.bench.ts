// Load: LOAD_STREAMS (default 500) gRPC Listen streams, LOAD_RATE (10) events a second
// each, for LOAD_SECONDS (60), plus LOAD_RECORDERS (5) REST clients recording
// LOAD_RECORD_RATE (5) messages a second each, against one server in a child process on
// LOAD_BACKEND (pglite; or postgres). The server runs in its own process so its RSS and CPU are its own, not
// mixed with the load generator's. Prints events/s held, event → bundle latency, errors
// and the server's RSS; writes bench/results/load.json. A benchmark: it never fails.
// LOAD_PROFILE_DIR=dir writes a CPU profile of the server (.cpuprofile) there.
// On PGlite the server runs it in its own thread, as `foresight serve` does by default;
// LOAD_PGLITE_WORKER=1 runs it on a worker thread (FORESIGHT_PGLITE_WORKER), to compare.
// LOAD_REPLICAS=2 (PostgreSQL): two servers on the same schema, each serving half the
// streams and recorders, and a probe that records through the first and asks the second
// (replica-freshness.ts): how long after a write's acknowledgement the other replica's
// bundles carry it.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type BenchResult, formatTable, writeResults } from './support/bench-results.js';
import { summarize } from './support/latency-summary.js';
import { runLoadRecorders } from './support/load-recorders.js';
import { type LoadStreamsOutcome, runLoadStreams } from './support/load-streams.js';
import { runReplicaFreshness } from './support/replica-freshness.js';

const STREAMS = Number(process.env.LOAD_STREAMS ?? 500);
const RATE = Number(process.env.LOAD_RATE ?? 10);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const RECORDERS = Number(process.env.LOAD_RECORDERS ?? 5);
const RECORD_RATE = Number(process.env.LOAD_RECORD_RATE ?? 5);
const USERS = Number(process.env.LOAD_USERS ?? 500);
const BACKEND = process.env.LOAD_BACKEND === 'postgres' ? 'postgres' : 'pglite';
const REPLICAS = Number(process.env.LOAD_REPLICAS ?? 1);
if (REPLICAS !== 1 && REPLICAS !== 2) {
  throw new Error(`LOAD_REPLICAS: must be 1 or 2, got ${process.env.LOAD_REPLICAS}`);
}
if (REPLICAS === 2 && BACKEND !== 'postgres') {
  throw new Error(
    'LOAD_REPLICAS=2: replicas share a PostgreSQL database; set LOAD_BACKEND=postgres',
  );
}
const RESULTS = new URL('./results/load.json', import.meta.url).pathname;

interface Listening {
  restUrl: string;
  grpcTarget: string;
  key: string;
  schema: string;
  memories: number;
}

interface LoadServer {
  child: ChildProcess;
  pid: number;
  listening: Listening;
  exited: Promise<unknown>;
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

/** One load server in a child process, once it printed where it listens. */
async function startLoadServer(extraEnv: Record<string, string> = {}): Promise<LoadServer> {
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
      env: { ...process.env, LOAD_BACKEND: BACKEND, LOAD_USERS: String(USERS), ...extraEnv },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const listening = await new Promise<Listening>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => resolve(JSON.parse(line) as Listening));
    child.once('exit', (code) => reject(new Error(`load server exited ${code} before listening`)));
  });
  return { child, pid: child.pid as number, listening, exited };
}

async function stopLoadServer(server: LoadServer): Promise<void> {
  server.child.stdin?.end();
  await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
}

/** The outcomes of the replicas' streams as one. */
function mergeStreams(outcomes: readonly LoadStreamsOutcome[]): LoadStreamsOutcome {
  return {
    sent: outcomes.reduce((sum, outcome) => sum + outcome.sent, 0),
    bundles: outcomes.reduce((sum, outcome) => sum + outcome.bundles, 0),
    latenciesMs: outcomes.flatMap((outcome) => outcome.latenciesMs),
    unanswered: outcomes.reduce((sum, outcome) => sum + outcome.unanswered, 0),
    throttleSignals: outcomes.reduce((sum, outcome) => sum + outcome.throttleSignals, 0),
    errorSignals: outcomes.reduce((sum, outcome) => sum + outcome.errorSignals, 0),
    streamFailures: outcomes.reduce((sum, outcome) => sum + outcome.streamFailures, 0),
  };
}

/** `total` split over the replicas as evenly as it goes, the first taking the rest. */
function share(total: number, replica: number): number {
  return Math.floor(total / REPLICAS) + (replica < total % REPLICAS ? 1 : 0);
}

const servers: LoadServer[] = [];
try {
  const first = await startLoadServer();
  servers.push(first);
  if (REPLICAS === 2) {
    servers.push(
      await startLoadServer({
        LOAD_JOIN_SCHEMA: first.listening.schema,
        LOAD_KEY: first.listening.key,
      }),
    );
  }
  const { listening } = first;
  console.log(
    `server pid ${servers.map((server) => server.pid).join(' and ')} on ${BACKEND}, ${listening.memories} memories; ${STREAMS} streams × ${RATE} events/s for ${SECONDS} s, ${RECORDERS} REST recorders${REPLICAS === 2 ? ', split over 2 replicas' : ''}`,
  );
  const before = servers.map((server) => processStats(server.pid));
  let stopRecorders: () => void = () => {};
  const recordersStop = new Promise<void>((resolve) => {
    stopRecorders = resolve;
  });
  const recorders = Promise.all(
    servers.map((server, replica) =>
      runLoadRecorders({
        restUrl: server.listening.restUrl,
        key: listening.key,
        recorders: share(RECORDERS, replica),
        perSecond: RECORD_RATE,
        users: USERS,
        stop: recordersStop,
      }),
    ),
  );
  const freshness =
    REPLICAS === 2
      ? runReplicaFreshness({
          writeRestUrl: servers[0]?.listening.restUrl as string,
          readGrpcTarget: servers[1]?.listening.grpcTarget as string,
          key: listening.key,
          everyMs: 1000,
          giveUpMs: 5000,
          stop: recordersStop,
        })
      : undefined;
  const peakRss = before.map((stats) => stats.rssMiB);
  const started = performance.now();
  const streams = mergeStreams(
    await Promise.all(
      servers.map((server, replica) =>
        runLoadStreams(
          {
            grpcTarget: server.listening.grpcTarget,
            key: listening.key,
            streams: share(STREAMS, replica),
            eventsPerSecond: RATE,
            streamsPerConnection: 10,
            users: USERS,
          },
          SECONDS,
          // One replica reports for all, every 5 s.
          replica > 0
            ? undefined
            : (elapsed) => {
                const rss = servers.map((each, at) => {
                  const now = processStats(each.pid).rssMiB;
                  peakRss[at] = Math.max(peakRss[at] ?? 0, now);
                  return `${now.toFixed(0)} MiB`;
                });
                console.log(`  ${elapsed.toFixed(0)} s: server RSS ${rss.join(', ')}`);
              },
        ),
      ),
    ),
  );
  const elapsedSeconds = (performance.now() - started) / 1000;
  stopRecorders();
  const restOutcomes = await Promise.all([recorders, freshness]);
  const rest = {
    recorded: restOutcomes[0].reduce((sum, outcome) => sum + outcome.recorded, 0),
    errors: restOutcomes[0].reduce((sum, outcome) => sum + outcome.errors, 0),
    latenciesMs: restOutcomes[0].flatMap((outcome) => outcome.latenciesMs),
  };
  const fresh = restOutcomes[1];
  const after = servers.map((server) => processStats(server.pid));
  after.forEach((stats, at) => {
    peakRss[at] = Math.max(peakRss[at] ?? 0, stats.rssMiB);
  });

  const latency = streams.latenciesMs.length > 0 ? summarize(streams.latenciesMs) : undefined;
  const restLatency = rest.latenciesMs.length > 0 ? summarize(rest.latenciesMs) : undefined;
  // Shed events are the server saying "too much", as designed: counted apart from failures.
  const errors = streams.errorSignals + streams.streamFailures + rest.errors;
  const where =
    REPLICAS === 2
      ? ', two replicas on one PostgreSQL schema, each serving half the streams and recorders'
      : BACKEND === 'pglite'
        ? process.env.LOAD_PGLITE_WORKER === '1'
          ? ', PGlite on a worker thread'
          : ', PGlite in the server thread'
        : '';
  const note = `${STREAMS} streams × ${RATE}/s offered (${STREAMS * RATE}/s) for ${SECONDS} s; server in a child process${where}`;
  const row = (name: string, value: number, unit: string, notes = note): BenchResult => ({
    name: REPLICAS === 2 ? `2 replicas: ${name}` : name,
    value,
    unit,
    backend: BACKEND,
    notes,
  });
  /** One row per replica when there are two ("replica 1 …"), else the one. */
  const perServer = (name: string, values: readonly number[], unit: string, notes?: string) =>
    values.map((value, at) =>
      row(REPLICAS === 2 ? `replica ${at + 1} ${name}` : name, value, unit, notes),
    );
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
    ...perServer(
      'server RSS at start',
      before.map((stats) => stats.rssMiB),
      'MiB',
      'after seeding, before load',
    ),
    ...perServer(
      'server RSS at end',
      after.map((stats) => stats.rssMiB),
      'MiB',
    ),
    ...perServer('server RSS peak (5 s samples)', peakRss, 'MiB'),
    ...perServer(
      'server CPU',
      after.map(
        (stats, at) => ((stats.cpuSeconds - (before[at]?.cpuSeconds ?? 0)) / elapsedSeconds) * 100,
      ),
      '% of one core',
      'user + system time of the server process over the run',
    ),
  ];
  if (fresh) {
    const freshNote =
      'a message recorded through replica 1 (REST, acknowledged), then a user_message event ' +
      'of the same user on replica 2 every 10 ms in another conversation until its bundle ' +
      `carries it; one probe a second during the load, ${fresh.seenByEventSentAfterMs.length} seen, ` +
      `${fresh.notSeen} not seen within 5 s, ${fresh.unanswered} of the probes' events shed or ` +
      `unanswered within 1 s, ${fresh.writeErrors} writes failed` +
      (fresh.firstWriteError ? ` (the first: ${fresh.firstWriteError})` : '');
    const sentAfter =
      fresh.seenByEventSentAfterMs.length > 0 ? summarize(fresh.seenByEventSentAfterMs) : undefined;
    const arrivedAfter =
      fresh.bundleArrivedAfterMs.length > 0 ? summarize(fresh.bundleArrivedAfterMs) : undefined;
    results.push(
      row(
        'write on 1 → an event on 2 sent after it missed it, latest',
        fresh.missedByEventSentAfterMs.length > 0 ? Math.max(...fresh.missedByEventSentAfterMs) : 0,
        'ms',
        `${freshNote}; 0 when every answered event sent after the write carried it`,
      ),
      row(
        'write on 1 → first event on 2 that carried it, sent after, max',
        sentAfter?.max ?? Number.NaN,
        'ms',
        freshNote,
      ),
      row(
        'write on 1 → bundle on 2 carrying it, p50',
        arrivedAfter?.p50 ?? Number.NaN,
        'ms',
        freshNote,
      ),
      row(
        'write on 1 → bundle on 2 carrying it, max',
        arrivedAfter?.max ?? Number.NaN,
        'ms',
        freshNote,
      ),
      row('write on 1 → never seen on 2', fresh.notSeen, 'probes', freshNote),
    );
  }
  console.log(formatTable(results));
  writeResults(RESULTS, results);
} finally {
  await Promise.all(servers.map(stopLoadServer));
}
