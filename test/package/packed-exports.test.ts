import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const subpaths = [
  'foresight',
  'foresight/ai-sdk',
  'foresight/langchain',
  'foresight/tools',
  'foresight/server',
  'foresight/mcp',
];

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Third-party packages (by name) that importing `specifier` from `cwd` loads. */
function packagesLoadedBy(specifier: string, cwd: string): string[] {
  const tracer = join(root, 'test/support/trace-imports.mjs');
  const output = run(
    process.execPath,
    [
      '--import',
      tracer,
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(specifier)});`,
    ],
    cwd,
  );
  const urls: string[] = JSON.parse(output.trim().split('\n').at(-1) ?? '[]');
  const names = urls.flatMap((url) => {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    return match?.[1] ? [match[1]] : [];
  });
  return [...new Set(names)].sort();
}

function installedVersion(name: string): string {
  const manifest = JSON.parse(
    readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'),
  );
  return String(manifest.version);
}

describe('the packed package', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'foresight-pack-'));
  let tarball = '';

  beforeAll(() => {
    // `npm pack` runs `prepack`, which builds dist/ from a clean slate.
    run('npm', ['pack', '--pack-destination', scratch, '--silent'], root);
    tarball = join(scratch, readdirSync(scratch).find((name) => name.endsWith('.tgz')) ?? '');
    writeFileSync(
      join(scratch, 'package.json'),
      JSON.stringify({ name: 'scratch', private: true, type: 'module' }),
    );
    // The frameworks are optional peers: a user of an adapter installs them. Same
    // versions as the repo's own, so the install stays within npm's cache.
    const peers = ['ai', 'langchain', '@langchain/core'].map(
      (name) => `${name}@${installedVersion(name)}`,
    );
    run(
      'npm',
      ['install', tarball, ...peers, '--prefer-offline', '--no-audit', '--no-fund', '--silent'],
      scratch,
    );
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each(subpaths)('resolves %s at run time from an installed tarball', (specifier) => {
    const output = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(specifier)}); console.log('ok');`,
      ],
      scratch,
    );
    expect(output.trim()).toBe('ok');
  });

  // tsc over every subpath's types (the MCP SDK's among them) takes a while on a loaded machine.
  it('resolves the types of every subpath under NodeNext', { timeout: 120_000 }, () => {
    writeFileSync(
      join(scratch, 'consumer.ts'),
      `${subpaths.map((specifier, i) => `import * as m${i} from '${specifier}';`).join('\n')}\n` +
        `export const all = [${subpaths.map((_, i) => `m${i}`).join(', ')}];\n` +
        `export const version: string = m0.SDK_VERSION;\n`,
    );
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: [],
        },
        files: ['consumer.ts'],
      }),
    );
    // Throws with tsc's diagnostics if any subpath lacks types.
    run(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], scratch);
  });

  it('foresight/ai-sdk loads no LangChain, and foresight/langchain loads no AI SDK', () => {
    const aiSdk = packagesLoadedBy('foresight/ai-sdk', root);
    expect(aiSdk.filter((name) => name === 'langchain' || name.startsWith('@langchain/'))).toEqual(
      [],
    );
    const langchain = packagesLoadedBy('foresight/langchain', root);
    expect(langchain.filter((name) => name === 'ai' || name.startsWith('@ai-sdk/'))).toEqual([]);
  });

  it('foresight (the client) loads neither framework nor the server stack nor the MCP SDK', () => {
    const client = packagesLoadedBy('foresight', root);
    const forbidden = [
      'ai',
      'langchain',
      'fastify',
      '@electric-sql/pglite',
      'pg',
      '@modelcontextprotocol/sdk',
    ];
    expect(
      client.filter((name) => forbidden.includes(name) || name.startsWith('@langchain/')),
    ).toEqual([]);
  });
});
