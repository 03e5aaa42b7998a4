import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line matching, or rejects after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /**
   * Resolves once the process exited and its output was read to the end ('close', not
   * 'exit': at 'exit' the last chunk of stderr may still be in flight, and a test read
   * an empty line where the process had printed one).
   */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `foresight <args>` from source (tsx), as a user would run the built bin. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, FORESIGHT_LOG_LEVEL: 'warn', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine(pattern, timeoutMs = 60_000) {
      // Checked on every chunk of output, and once more when the output has ended.
      return new Promise((resolve, reject) => {
        const found = () =>
          out
            .split('\n')
            .map((line) => pattern.exec(line))
            .find(Boolean);
        const stop = () => {
          clearTimeout(timer);
          child.stdout.off('data', check);
          child.off('close', closed);
        };
        const timer = setTimeout(() => {
          stop();
          reject(new Error(`timed out waiting for ${pattern}; stderr: ${err}`));
        }, timeoutMs);
        function check() {
          const match = found();
          if (!match) return;
          stop();
          resolve(match);
        }
        function closed() {
          stop();
          const match = found();
          if (match) resolve(match);
          else reject(new Error(`exited ${child.exitCode} before ${pattern}: ${err}`));
        }
        // Registered after the collector above, so `out` already holds the chunk.
        child.stdout.on('data', check);
        // 'close' comes after the last output; a child that already closed says so now.
        if (child.stdout.readableEnded && child.exitCode !== null) closed();
        else child.on('close', closed);
        check();
      });
    },
  };
}
