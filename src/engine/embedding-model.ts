/**
 * What Foresight needs of an embedding model: the `doEmbed` of the AI SDK's
 * `EmbeddingModel` (specification v3 and v4 alike), so any AI SDK provider's
 * `textEmbeddingModel(...)` plugs in without the server importing the AI SDK.
 */
export interface EmbeddingModelLike {
  doEmbed(options: {
    values: string[];
    abortSignal?: AbortSignal;
  }): PromiseLike<{ embeddings: number[][] }>;
}

/** Texts per `doEmbed` call: providers cap a call at a few dozen to a few thousand. */
const BATCH = 32;

/**
 * Embeds `texts` in order, in batches. Every vector must be finite and of one
 * dimension: a provider answering garbage is an error here, not a corrupt index.
 */
export async function embedTexts(
  model: EmbeddingModelLike,
  texts: readonly string[],
  signal?: AbortSignal,
): Promise<number[][]> {
  const vectors: number[][] = [];
  for (let at = 0; at < texts.length; at += BATCH) {
    const values = texts.slice(at, at + BATCH);
    const { embeddings } = await model.doEmbed({
      values,
      ...(signal ? { abortSignal: signal } : {}),
    });
    if (embeddings.length !== values.length) {
      throw new Error(
        `embedding model: answered ${embeddings.length} embeddings for ${values.length} texts`,
      );
    }
    vectors.push(...embeddings);
  }
  const dimension = vectors[0]?.length ?? 0;
  for (const vector of vectors) {
    if (vector.length !== dimension || dimension === 0) {
      throw new Error('embedding model: embeddings must share one non-zero dimension');
    }
    if (!vector.every(Number.isFinite)) {
      throw new Error('embedding model: embeddings must be finite numbers');
    }
  }
  return vectors;
}
