import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, 'utf8');
/** The README and the docs it links to: their snippets are checked the same way. */
const documents = [
  'README.md',
  ...readdirSync(`${root}docs`)
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`),
];

/** Every `<!-- snippet: path -->` marker of a document with the fenced block right after it. */
function snippetsOf(
  document: string,
): { document: string; path: string; code: string | undefined }[] {
  const text = readFileSync(`${root}${document}`, 'utf8');
  const markers = [...text.matchAll(/<!-- snippet: (\S+) -->\n(?:```ts\n([\s\S]*?)\n```)?/g)];
  return markers.map((match) => ({ document, path: match[1] as string, code: match[2] }));
}

/** The code between `// #region snippet` and `// #endregion` of an example. */
function exampleRegion(path: string): string | undefined {
  const source = readFileSync(`${root}${path}`, 'utf8');
  return /\/\/ #region snippet\n([\s\S]*?)\n\/\/ #endregion/.exec(source)?.[1];
}

describe('README and docs snippets', () => {
  const snippets = documents.flatMap(snippetsOf);

  it('are there: one per framework in the README, one per adapter section in all, each naming an example file', () => {
    expect(snippetsOf('README.md').length).toBeGreaterThanOrEqual(3);
    expect(snippets.length).toBeGreaterThanOrEqual(6);
    for (const { path } of snippets) {
      expect(path, 'a snippet comes from examples/').toMatch(/^examples\/[\w-]+\.ts$/);
      expect(existsSync(`${root}${path}`), `${path} exists`).toBe(true);
    }
  });

  it.each(snippets)(
    '$document, $path: the fenced block is exactly its example region',
    ({ document, path, code }) => {
      expect(
        code,
        `${document}: a \`\`\`ts block must follow <!-- snippet: ${path} -->`,
      ).toBeDefined();
      const region = exampleRegion(path);
      expect(region, `${path}: no // #region snippet ... // #endregion`).toBeDefined();
      expect(code, `${document}'s snippet of ${path} differs from the example's region`).toBe(
        region,
      );
    },
  );
});

describe("README's list of examples", () => {
  it('names every file of examples/, with the command that runs it', () => {
    const examples = readdirSync(`${root}examples`).filter((file) => file.endsWith('.ts'));
    expect(examples.length).toBeGreaterThan(0);
    expect(readme).toContain('npm run example -- ');
    for (const file of examples) {
      expect(readme, `README does not list ${file}`).toContain(`| \`${file.slice(0, -3)}\``);
    }
  });
});

describe('README test command', () => {
  it('gives `npm test` on its own line in a sh block, the command .ci/run runs', () => {
    expect(readme).toMatch(/```sh\nnpm test\n```/);
    expect(readFileSync(`${root}.ci/run`, 'utf8')).toMatch(/^npm test$/m);
  });
});

describe('README length', () => {
  it('stays under 15,000 characters: reference belongs in docs/, linked from it', () => {
    expect(readme.length).toBeLessThan(15_000);
    for (const link of readme.matchAll(/\]\((docs\/[\w.-]+\.md)\)/g))
      expect(existsSync(`${root}${link[1]}`), `${link[1]} exists`).toBe(true);
  });
});
