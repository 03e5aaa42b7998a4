import { spawn } from 'node:child_process';
import { readdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Creates the database cluster in an empty data directory.
 * Run by a child Node process: bare imports resolve from its working directory.
 */
const CHILD_SCRIPT = `
const [dataDir, startParams] = process.argv.slice(1);
const { PGlite } = await import('@electric-sql/pglite');
const pglite = await PGlite.create(dataDir, { startParams: JSON.parse(startParams) });
await pglite.close();
`;

/**
 * Runs PGlite's initdb for an empty `dataDir` in a short-lived child process, and
 * answers true once the directory holds a cluster. In this process it would cost
 * about 200 MiB for good: initdb runs two more WebAssembly instances whose memory and
 * compiled code the process keeps (WebAssembly memory never shrinks, and the freed
 * code stays in the allocator's arenas). Answers false, leaving `dataDir` as it was,
 * when the directory is not empty (PGlite decides what to do with it) or the child
 * failed (`onFailure` says why); the caller then opens it in this process as before.
 * The cluster is made in a sibling directory and renamed into place, so a child that
 * dies midway leaves nothing half made.
 */
export async function initDataDirApart(
  dataDir: string,
  startParams: readonly string[],
  onFailure: (reason: string) => void,
): Promise<boolean> {
  if ((await readdir(dataDir)).length > 0) return false;
  const staging = `${dataDir}.initdb-${process.pid}`;
  try {
    await rm(staging, { recursive: true, force: true });
    await runChild(staging, startParams);
    // Empty, and ours while we hold its lock: replaced rather than renamed onto.
    await rmdir(dataDir);
    await rename(staging, dataDir);
    return true;
  } catch (error) {
    onFailure(error instanceof Error ? error.message : String(error));
    await rm(staging, { recursive: true, force: true });
    return false;
  }
}

function runChild(dataDir: string, startParams: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', CHILD_SCRIPT, dataDir, JSON.stringify(startParams)],
      {
        // Beside this module, so '@electric-sql/pglite' resolves to this package's copy.
        cwd: dirname(fileURLToPath(import.meta.url)),
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(`initdb child exited with ${signal ?? code}: ${stderr.trim().slice(-1000)}`),
        );
    });
  });
}
