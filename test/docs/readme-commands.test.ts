import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, 'utf8');

/** The sections whose shell lines a newcomer runs first, in the README's order. */
const SECTIONS = ['Quick start', 'The CLI', 'The context server'];

/** Every line of the ```sh blocks of a `## title` section, comments dropped. */
function shellLines(markdown: string, title: string): string[] {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start === -1) return [];
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) =>
    (block[1] ?? '')
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
}

/**
 * The README's commands as a newcomer runs them: in a fresh clone of this repository's
 * last commit, one after another, each exiting 0. `npm install` is the one line not run:
 * the clone gets this checkout's node_modules through a symlink (an install would take a
 * minute and the network). A `serve` line keeps running, as the README says: the lines
 * after it run against it, and it must drain and exit 0 on SIGTERM.
 */
describe("the README's quick start, CLI and server lines, in a fresh clone", {
  timeout: 300_000,
}, () => {
  const clone = mkdtempSync(join(tmpdir(), 'foresight-readme-'));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  let server: { child: ChildProcess; out: () => string; exited: Promise<number | null> } | null =
    null;

  beforeAll(() => {
    execFileSync('git', ['clone', '--quiet', root, clone]);
    symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'));
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      process.kill(-(server.child.pid as number), 'SIGKILL');
    }
    rmSync(clone, { recursive: true, force: true });
  });

  const lines = SECTIONS.flatMap((section) =>
    shellLines(readme, section).map((line) => ({ section, line })),
  );

  it('has lines in each section, and runs them from a clone', () => {
    for (const section of SECTIONS)
      expect(shellLines(readme, section).length, section).toBeGreaterThan(0);
    expect(existsSync(join(clone, 'package.json'))).toBe(true);
  });

  it.each(lines)('$section: $line', async ({ line }) => {
    if (line === 'npm install') return; // node_modules is linked (see above)
    if (/^npm run foresight -- serve\b/.test(line)) {
      server = start(line, clone, env);
      const current = server;
      // The last of the lines it prints once it listens: where its data is.
      await untilLine(current, /^store\s+pglite \S+\.foresight\/data$/);
      expect(current.out()).toMatch(/^REST\s+http:\/\/127\.0\.0\.1:8420$/m);
      return;
    }
    const result = await run(line, clone, env);
    expect(result.code, `${line}\n${result.output}`).toBe(0);
  });

  it('the server drains and stops on SIGTERM (npm and sh die of the signal; the server drains)', async () => {
    expect(server, 'the README starts a server').not.toBeNull();
    const current = server as NonNullable<typeof server>;
    process.kill(-(current.child.pid as number), 'SIGTERM');
    await current.exited;
    expect(current.out()).toContain('SIGTERM: draining and stopping');
    // Stopped: the port is free again once the drain is over.
    await vi.waitFor(() => expect(portAnswers(8420)).resolves.toBe(false), {
      timeout: 30_000,
      interval: 100,
    });
  });
});

function run(line: string, cwd: string, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn('sh', ['-c', line], { cwd, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('close', (code) => resolve({ code, output: output.slice(-4000) }));
  });
}

function start(line: string, cwd: string, env: NodeJS.ProcessEnv) {
  // Its own process group: SIGTERM reaches npm, sh and the server alike, as Ctrl-C would.
  const child = spawn('sh', ['-c', line], { cwd, env, detached: true });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', () => {});
  // 'close', not 'exit': sh and npm die at once on SIGTERM, the server (which shares
  // their stdout) only once it has drained.
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return { child, out: () => out, exited };
}

function untilLine(
  watched: { child: ChildProcess; out: () => string },
  pattern: RegExp,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (
        watched
          .out()
          .split('\n')
          .some((line) => pattern.test(line))
      ) {
        watched.child.stdout?.off('data', check);
        resolve();
      }
    };
    watched.child.stdout?.on('data', check);
    watched.child.once('close', (code) =>
      reject(new Error(`exited ${code} before ${pattern}:\n${watched.out()}`)),
    );
    check();
  });
}

/** Whether something accepts connections on 127.0.0.1:port. */
function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
