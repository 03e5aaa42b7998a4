#!/usr/bin/env node
// `npm start`: runs `foresight demo` from source (an embedded context server in
// .foresight/demo and two agent sessions, printed turn by turn). Arguments after `--`
// go to the demo, e.g. `npm start -- --reset`.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(root, 'src/cli.ts'), 'demo', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
