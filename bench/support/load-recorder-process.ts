// The REST recorders of the load bench, run as their own process (`node --import tsx
// load-recorder-process.ts`): in the load generator's process, their latency would be
// measured by an event loop busy with 500 streams' events and bundles. Reads its options
// as JSON from argv[2], records until stdin closes, then prints its outcome as one JSON line.
import { runLoadRecorders } from './load-recorders.js';

const options = JSON.parse(process.argv[2] ?? '{}') as {
  restUrl: string;
  key: string;
  recorders: number;
  perSecond: number;
  users: number;
};
const stop = new Promise<void>((resolve) => {
  process.stdin.on('end', () => resolve());
  process.stdin.resume();
});
const outcome = await runLoadRecorders({ ...options, stop });
process.stdout.write(`${JSON.stringify(outcome)}\n`);
