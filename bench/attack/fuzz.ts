// The fast-check attack at full size: 10 000 random inputs for every REST route and
// 10 000 random Listen stream events (the suite runs the stream at full size and about
// 700 inputs a route), against a real server on 127.0.0.1. Prints how many inputs each
// surface got and how long the run took; any 5xx, internal error or unnamed field fails
// the run, as in the suite.
//
//   npx tsx bench/attack/fuzz.ts                 10 000 a route, 10 000 stream events
//   FUZZ_PER_ROUTE=2000 npx tsx bench/attack/fuzz.ts
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const perRoute = Number(process.env.FUZZ_PER_ROUTE ?? 10_000);
const streamEvents = Number(process.env.FUZZ_STREAM_EVENTS ?? 10_000);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const started = performance.now();
const run = spawn(
  process.execPath,
  [
    join(root, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    'test/property/rest-bodies.test.ts',
    'test/property/listen-events.test.ts',
  ],
  {
    cwd: root,
    env: {
      ...process.env,
      FORESIGHT_PROPERTY_REST_PER_ROUTE: String(perRoute),
      FORESIGHT_PROPERTY_GRPC_INPUTS: String(streamEvents),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let output = '';
run.stdout.on('data', (chunk: Buffer) => {
  output += chunk.toString();
});
const code = await new Promise<number | null>((resolve) => run.once('exit', resolve));
const seconds = (performance.now() - started) / 1000;
// biome-ignore lint/suspicious/noControlCharactersInRegex: strips the colour codes.
const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
for (const line of plain.split('\n')) {
  if (/property inputs sent|Tests |Test Files|×/.test(line))
    process.stdout.write(`${line.trim()}\n`);
}
process.stdout.write(
  `requested: ${perRoute} inputs a REST route, ${streamEvents} stream events; ${seconds.toFixed(0)} s; vitest exit ${code}\n`,
);
process.exitCode = code ?? 1;
