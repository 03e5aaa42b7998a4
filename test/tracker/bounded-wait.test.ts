import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

describe('the waits on a model call', () => {
  it('settle within their bounds in a process that has nothing else alive (their timers are ref’d)', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/tracker/scripts/wait-alone.ts'],
      {
        cwd: root,
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ sent: null, answer: 'timeout' });
  }, 60_000);
});
