#!/usr/bin/env node
// `npm start`. Until `foresight demo` exists, it runs the context server from source
// with a development key, so `npm install && npm start` gives something to talk to.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const key = process.env.FORESIGHT_API_KEY || 'fsk_devkey000001_abcdefghijklmnopqrstuvwxyz012345';
console.log('The demo is not built yet; starting the context server (foresight serve) instead.');
console.log(`Development API key: ${key}  (Ctrl-C to stop)`);
const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(root, 'src/cli.ts'), 'serve', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORESIGHT_API_KEY: key },
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
