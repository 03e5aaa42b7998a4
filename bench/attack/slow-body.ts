// The slow-body attack of issue 15 (finding 2), measured: `SOCKETS` sockets send
// `POST /v1/conversations/messages` headers without a key, `Content-Length: 4000000`,
// 3.9 MB of body, then a byte a second, while another client records turns. Prints the
// server's RSS (start, peak, 30 s after the sockets opened), how long each socket stayed
// open against the configured request timeout, and the other client's record latency,
// then a verdict on each bound of the acceptance (RSS within 50 MB of start 30 s
// after the sockets opened, every socket closed within the timeout, the other client's
// record p99 under 50 ms). The other client records one turn every `VICTIM_INTERVAL_MS`
// (50: 20 a second, as an agent turn rate): recording as fast as it can, it grew the
// store by about 50 MB in 35 s with no attack at all, which is its RSS, not the attack's.
// 127.0.0.1 only; every loop is bounded (the attack stops after `ATTACK_SECONDS`).
//
//   npx tsx bench/attack/slow-body.ts
//   SOCKETS=200 ATTACK_SECONDS=35 FORESIGHT_REQUEST_TIMEOUT_MS=10000 npx tsx bench/attack/slow-body.ts
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SOCKETS = Number(process.env.SOCKETS ?? 200);
const ATTACK_SECONDS = Number(process.env.ATTACK_SECONDS ?? 35);
const REQUEST_TIMEOUT_MS = Number(process.env.FORESIGHT_REQUEST_TIMEOUT_MS ?? 10_000);
const VICTIM_INTERVAL_MS = Number(process.env.VICTIM_INTERVAL_MS ?? 50);
const BODY_BYTES = 3_900_000;
const RSS_BOUND_MB = 50;
const P99_BOUND_MS = 50;

const here = dirname(fileURLToPath(import.meta.url));
const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'attack-server.ts')], {
  cwd: join(here, '..', '..'),
  env: { ...process.env, FORESIGHT_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
  stdio: ['pipe', 'pipe', 'inherit'],
});
const first = await new Promise<string>((resolve, reject) => {
  const lines = createInterface({ input: child.stdout });
  lines.once('line', resolve);
  child.once('exit', (code) => reject(new Error(`attack server exited ${code}`)));
});
const { restUrl, key, pid } = JSON.parse(first) as { restUrl: string; key: string; pid: number };
const { hostname, port } = new URL(restUrl);
if (hostname !== '127.0.0.1') throw new Error(`refusing to attack ${hostname}: 127.0.0.1 only`);

const rssMb = () => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(line?.[1] ?? 0) / 1024;
};

let recordSeq = 0;
async function recordOnce(): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${restUrl}/v1/conversations/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      conversation_id: '7d1c5b0e-3f51-4d8e-9b6a-2f4f3f0c9a11',
      role: 'user',
      content: `turn ${recordSeq++} during the attack`,
      user_id: 'victim-user',
    }),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`victim record answered ${response.status}`);
  return performance.now() - started;
}

// Warm up: the first records pay for JIT and the store's first pages.
for (let turn = 0; turn < 50; turn++) await recordOnce();
// The same client with no attack, for comparison: this machine's own noise.
const baseline: number[] = [];
const baselineEnd = performance.now() + 5000;
while (performance.now() < baselineEnd) {
  baseline.push(await recordOnce());
  await new Promise((resolve) => setTimeout(resolve, VICTIM_INTERVAL_MS));
}
const startRss = rssMb();

interface Attacker {
  openedAt: number;
  closedAt?: number;
}
const attackers: Attacker[] = [];
const sockets: Socket[] = [];
const attackStart = performance.now();
const attackEnd = attackStart + ATTACK_SECONDS * 1000;
const body = Buffer.alloc(BODY_BYTES, 'a');
for (let index = 0; index < SOCKETS; index++) {
  const attacker: Attacker = { openedAt: performance.now() };
  attackers.push(attacker);
  const socket = connect(Number(port), '127.0.0.1');
  sockets.push(socket);
  socket.on('error', () => {});
  socket.on('data', () => {});
  socket.once('close', () => {
    attacker.closedAt = performance.now();
  });
  socket.once('connect', () => {
    socket.write(
      `POST /v1/conversations/messages HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 4000000\r\n\r\n`,
    );
    socket.write(body);
    const trickle = setInterval(() => {
      if (socket.destroyed || performance.now() > attackEnd) {
        clearInterval(trickle);
        return;
      }
      socket.write('a');
    }, 1000);
  });
}

const latencies: number[] = [];
const rssSamples: { atS: number; mb: number }[] = [];
const sampler = setInterval(() => {
  rssSamples.push({ atS: (performance.now() - attackStart) / 1000, mb: rssMb() });
}, 500);
while (performance.now() < attackEnd) {
  latencies.push(await recordOnce());
  await new Promise((resolve) => setTimeout(resolve, VICTIM_INTERVAL_MS));
}
clearInterval(sampler);
for (const socket of sockets) socket.destroy();

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
const openFor = attackers.map(
  (a) => ((a.closedAt ?? Number.POSITIVE_INFINITY) - a.openedAt) / 1000,
);
const stillOpen = openFor.filter((s) => !Number.isFinite(s)).length;
const peak = Math.max(startRss, ...rssSamples.map((sample) => sample.mb));
const at30 = rssSamples.filter((sample) => sample.atS <= 30).at(-1)?.mb ?? rssMb();
const rows: [string, string][] = [
  ['sockets (no key, Content-Length 4 000 000, 3.9 MB then 1 byte/s)', String(SOCKETS)],
  ['configured request timeout', `${REQUEST_TIMEOUT_MS} ms`],
  ['server RSS at start', `${startRss.toFixed(0)} MB`],
  ['server RSS peak during the attack', `${peak.toFixed(0)} MB`],
  [
    'server RSS 30 s after the sockets opened',
    `${at30.toFixed(0)} MB (${(at30 - startRss).toFixed(0)} MB over start)`,
  ],
  [
    'longest a socket stayed open',
    stillOpen
      ? `${stillOpen} still open after ${ATTACK_SECONDS} s`
      : `${Math.max(...openFor).toFixed(1)} s`,
  ],
  ['other client records during the attack', String(latencies.length)],
  [
    'other client record p50 / p99, no attack (the 5 s before)',
    `${quantile(baseline, 0.5).toFixed(1)} / ${quantile(baseline, 0.99).toFixed(1)} ms`,
  ],
  [
    'other client record p50 / p99 during the attack',
    `${quantile(latencies, 0.5).toFixed(1)} / ${quantile(latencies, 0.99).toFixed(1)} ms`,
  ],
];
rows.push(['other client pace', `one record every ${VICTIM_INTERVAL_MS} ms`]);
for (const [name, value] of rows) process.stdout.write(`${name.padEnd(66)} ${value}\n`);
const verdicts: [string, boolean][] = [
  [
    `RSS 30 s after the sockets opened within ${RSS_BOUND_MB} MB of start`,
    at30 - startRss <= RSS_BOUND_MB,
  ],
  [
    `every socket closed within the request timeout (${REQUEST_TIMEOUT_MS} ms)`,
    stillOpen === 0 && Math.max(...openFor) * 1000 <= REQUEST_TIMEOUT_MS,
  ],
  [`other client record p99 under ${P99_BOUND_MS} ms`, quantile(latencies, 0.99) < P99_BOUND_MS],
];
for (const [bound, held] of verdicts) {
  process.stdout.write(`${held ? 'PASS' : 'FAIL'}  ${bound}\n`);
}
child.stdin.end();
await new Promise((resolve) => child.once('exit', resolve));
