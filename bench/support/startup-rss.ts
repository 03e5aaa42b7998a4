import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Backend, BENCH_DATABASE_URL, dropSchema } from './bench-server.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface StartupRss {
  /** First starts, each on an empty data directory (PGlite) or schema (PostgreSQL). */
  firstStartMiB: number[];
  /** The last of those stores, started again. */
  restartMiB: number[];
}

/**
 * The resident set of `foresight serve` as it is deployed: the compiled JavaScript
 * (built here the way `npm run build` does, into node_modules/.cache so its packages
 * resolve), one process of its own, measured `settleMs` after it prints where it
 * listens. `rounds` times on a new store, and as often on an existing one: what the
 * WebAssembly compiler and the garbage collector did by then varies by tens of MiB.
 */
export async function measureStartupRss(
  backends: readonly Backend[],
  options: { rounds?: number; settleMs?: number; log?: (line: string) => void } = {},
): Promise<Map<Backend, StartupRss>> {
  const rounds = options.rounds ?? 3;
  const cache = join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const build = mkdtempSync(join(cache, 'foresight-bench-'));
  const measured = new Map<Backend, StartupRss>();
  try {
    options.log?.('building the server (tsc) to measure it as deployed');
    buildInto(build);
    const settleMs = options.settleMs ?? 1000;
    const serve = [join(build, 'src', 'cli.js'), 'serve', '--port', '0', '--grpc-port', '0'];
    for (const backend of backends) {
      const rss: StartupRss = { firstStartMiB: [], restartMiB: [] };
      for (let round = 0; round < rounds; round++) {
        const store = newStore(backend);
        try {
          rss.firstStartMiB.push(await serveAndMeasure([...serve, ...store.flags], settleMs));
          if (round === rounds - 1)
            for (let again = 0; again < rounds; again++)
              rss.restartMiB.push(await serveAndMeasure([...serve, ...store.flags], settleMs));
        } finally {
          await store.remove();
        }
      }
      measured.set(backend, rss);
    }
  } finally {
    rmSync(build, { recursive: true, force: true });
  }
  return measured;
}

function buildInto(outDir: string): void {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(
    process.execPath,
    [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', outDir],
    {
      stdio: 'inherit',
    },
  );
  // The assets `npm run build` copies beside the modules that read them.
  const migrations = join(outDir, 'src', 'store', 'migrations');
  mkdirSync(migrations, { recursive: true });
  for (const file of readdirSync(join(ROOT, 'src', 'store', 'migrations'))) {
    if (file.endsWith('.sql'))
      copyFileSync(join(ROOT, 'src', 'store', 'migrations', file), join(migrations, file));
  }
  const vectors = join('src', 'engine', 'semantic', 'word-vectors.bin');
  copyFileSync(join(ROOT, vectors), join(outDir, vectors));
}

function newStore(backend: Backend): { flags: string[]; remove: () => Promise<void> } {
  if (backend === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'foresight-rss-'));
    // PGlite makes the directory: an empty one is a first start.
    return {
      flags: ['--data-dir', dataDir],
      remove: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const schema = `rss_${process.pid}_${Date.now().toString(36)}`;
  return {
    flags: ['--database-url', BENCH_DATABASE_URL, '--database-schema', schema],
    remove: () => dropSchema(schema),
  };
}

/** Starts the server, reads its RSS once it listens and `settleMs` more, stops it. */
async function serveAndMeasure(args: string[], settleMs: number): Promise<number> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, FORESIGHT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        if (line.startsWith('REST')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`foresight serve exited ${code} at start`)));
    });
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
