import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../..', import.meta.url).pathname;

/** Third-party packages (by name) a fresh Node process loads running `source` from the repo root. */
function packagesLoadedBy(source: string): string[] {
  const output = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      join(root, 'test/support/trace-imports.mjs'),
      '--input-type=module',
      '-e',
      source,
    ],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const urls: string[] = JSON.parse(output.trim().split('\n').at(-1) ?? '[]');
  const names = urls.flatMap((url) => {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    return match?.[1] ? [match[1]] : [];
  });
  return [...new Set(names)].sort();
}

const isFramework = (name: string) =>
  name === 'ai' ||
  name === 'langchain' ||
  name.startsWith('@langchain/') ||
  name.startsWith('@ai-sdk/');

describe('foresight/tools', () => {
  it('loads neither the AI SDK nor LangChain', () => {
    const loaded = packagesLoadedBy(
      "const m = await import('./adapters/tools/index.ts'); if (typeof m.withForesight !== 'function') process.exit(1);",
    );
    expect(loaded.filter(isFramework)).toEqual([]);
  });

  it('is checked by a tracer that does see a framework when one loads', () => {
    const loaded = packagesLoadedBy("await import('@langchain/core/tools');");
    expect(loaded).toContain('@langchain/core');
  });
});
