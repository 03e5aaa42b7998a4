import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = new URL('../../..', import.meta.url).pathname;

/** Every module URL that importing `source` (a TypeScript file under src/) resolves. */
async function modulesLoadedBy(source: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      `${root}test/support/trace-imports.mjs`,
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(`${root}${source}`)});`,
    ],
    { cwd: root, encoding: 'utf8' },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]');
}

// Behaviour against a real server is in event-stream.test.ts.
describe('HttpEventStream', () => {
  it('loads neither grpc-js nor the generated protobuf code (runtimes without http2)', async () => {
    const loaded = await modulesLoadedBy('src/client/http-event-stream.ts');

    expect(loaded.some((url) => url.endsWith('/src/client/http-event-stream.ts'))).toBe(true);
    expect(loaded.filter((url) => /@grpc|@bufbuild|\/src\/gen\//.test(url))).toEqual([]);
  });
});
