#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts in turn. Each prints its own table and
// writes bench/results/<name>.json. Benchmarks measure; they never pass or fail.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => !only || name.startsWith(only))
  .sort();

if (files.length === 0) {
  console.log(only ? `no benchmark matches "${only}"` : 'no benchmarks in bench/ yet');
  process.exit(only ? 1 : 0);
}
for (const file of files) {
  console.log(`\n== ${file}`);
  execFileSync(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit' });
}
