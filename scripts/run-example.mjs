#!/usr/bin/env node
// `npm run example -- <name>`: runs examples/<name>.ts. With FORESIGHT_URL set, against
// that service (and FORESIGHT_API_KEY); without it, against an embedded context server
// started for the run (PGlite in a temp dir, ephemeral ports, a fresh API key), so a
// newcomer needs nothing else. Examples named `b2b-*` get a key of a B2B tenant.
// No name lists the examples (exit 0); an unknown name lists them and exits 2. A failure
// of the example's setup (no key, a refused key, no server) is one line saying what to
// set or start (examples/support/one-line-errors.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const examplesDir = join(root, 'examples');
const names = readdirSync(examplesDir)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();

const name = process.argv[2]?.replace(/\.ts$/, '').replace(/^examples\//, '');
const usage = `usage: npm run example -- <name>\n\navailable:\n${names.map((n) => `  ${n}`).join('\n')}`;
if (!name) {
  console.log(usage);
  process.exit(0);
}
if (!names.includes(name)) {
  console.error(`no example named "${name}".\n${usage}`);
  process.exit(2);
}

const embedded = process.env.FORESIGHT_URL ? undefined : await startEmbeddedServer(name);
const code = await runExample(name, embedded?.env ?? {});
await embedded?.close();
process.exit(code);

/** Runs the example as its own process, on the node and tsx of this repo. */
function runExample(example, env) {
  return new Promise((resolve) => {
    const oneLineErrors = join(examplesDir, 'support', 'one-line-errors.ts');
    const args = ['--import', 'tsx', '--import', oneLineErrors, join(examplesDir, `${example}.ts`)];
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    const forward = (signal) => child.kill(signal);
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, forward);
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
}

/** A context server in this process for the run; its env points the example at it. */
async function startEmbeddedServer(example) {
  // The server is TypeScript source: tsx compiles it in this process.
  const { register } = await import('tsx/esm/api');
  register();
  const { createServer, DEFAULT_CLIENT_ID } = await import('../src/server/index.ts');
  const { pino } = await import('pino');
  const dataDir = mkdtempSync(join(tmpdir(), 'foresight-example-'));
  const server = await createServer({
    port: 0,
    grpcPort: 0,
    dataDir,
    logger: pino({ level: process.env.FORESIGHT_LOG_LEVEL || 'warn' }, pino.destination(2)),
  });
  let clientId = DEFAULT_CLIENT_ID;
  if (example.startsWith('b2b-')) {
    // A B2B tenant: every user id must come with the customer it belongs to.
    clientId = 'example-b2b';
    await server.store.upsertClient({ id: clientId, name: clientId, mode: 'b2b' });
  }
  const { key } = await server.apiKeys.create({ clientId, name: `example ${example}` });
  console.log(
    `embedded context server on ${server.restUrl} (gRPC ${server.grpcTarget}), store in ${dataDir}\n`,
  );
  return {
    env: {
      FORESIGHT_URL: server.restUrl,
      FORESIGHT_GRPC_TARGET: server.grpcTarget,
      FORESIGHT_API_KEY: key,
    },
    async close() {
      await server.close({ graceMs: 2000 });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
