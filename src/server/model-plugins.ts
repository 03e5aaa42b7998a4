import type { LanguageModel } from 'ai';
import type { Logger } from 'pino';
import {
  BaselineCompactor,
  ModelCompactor,
  ModelExtractor,
  RuleExtractor,
} from '../engine/index.js';
import type { Store } from '../store/store.js';
import { COMPACTION_JOB, compactionJobHandler } from './compaction-job.js';
import { EXTRACTION_JOB, extractionJobHandler } from './extraction-job.js';
import type { JobHandler } from './job-runner.js';

/** What plugging an AI SDK model into a background job takes. */
export interface ModelPluginOptions {
  /** An AI SDK `LanguageModel` (ai@7), e.g. `openai('gpt-4.1-mini')`. */
  model: LanguageModel;
  /**
   * Job attempts given to the model before the deterministic default takes over for
   * that job; the queue retries in between with backoff (2 s, 4 s, ...). 1 falls back
   * at the first failure. From 1 to 5 (the queue gives a job 5 attempts). Default 3.
   */
  fallbackAfterAttempts?: number;
  /**
   * Longest wait for one model call, at most 50 000 ms: a job's lease in the queue is
   * 60 s, and a call that outlived it could let another replica run the same job.
   * Default 30 000 ms (extraction), 50 000 ms (compaction).
   */
  timeoutMs?: number;
  /** Extra guidance appended to the built-in instructions (a domain, a language). */
  instructions?: string;
}

/** `createServer({ extraction })`: memories are extracted by this model instead of the rules. */
export type ExtractionOptions = ModelPluginOptions;
/** `createServer({ compaction })`: conversations are compacted by this model instead of the baseline. */
export type CompactionOptions = ModelPluginOptions;

/** The queue gives a job this many attempts (JobRunner's default). */
const JOB_ATTEMPTS = 5;
/** Below the queue's 60 s lease, with room for the store writes after the call. */
const MAX_TIMEOUT_MS = 50_000;
const DEFAULT_TIMEOUT_MS = { extraction: 30_000, compaction: 50_000 };

/**
 * The handlers of the background jobs: extraction and compaction, each by its model
 * when one is plugged in (falling back to the deterministic default after
 * `fallbackAfterAttempts`), else by the deterministic default alone.
 * Throws naming the option when a setting is out of range.
 */
export function createJobHandlers(
  store: Store,
  logger: Logger,
  options: { extraction?: ExtractionOptions; compaction?: CompactionOptions },
): Record<string, JobHandler> {
  const rules = new RuleExtractor();
  const baseline = new BaselineCompactor();
  const { extraction, compaction } = options;
  return {
    [EXTRACTION_JOB]: extraction
      ? extractionJobHandler(
          store,
          new ModelExtractor({ ...modelSettings('extraction', extraction), logger }),
          {
            fallback: rules,
            fallbackAfterAttempts: fallbackAfter('extraction', extraction),
            logger,
          },
        )
      : extractionJobHandler(store, rules),
    [COMPACTION_JOB]: compaction
      ? compactionJobHandler(store, new ModelCompactor(modelSettings('compaction', compaction)), {
          fallback: baseline,
          fallbackAfterAttempts: fallbackAfter('compaction', compaction),
          logger,
        })
      : compactionJobHandler(store, baseline),
  };
}

function modelSettings(name: 'extraction' | 'compaction', options: ModelPluginOptions) {
  if (!options.model)
    throw new Error(`${name}.model: must be an AI SDK LanguageModel, got ${String(options.model)}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS[name];
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS)
    throw new Error(
      `${name}.timeoutMs: must be an integer from 1 to ${MAX_TIMEOUT_MS}, got ${timeoutMs}`,
    );
  return {
    model: options.model,
    timeoutMs,
    ...(options.instructions ? { instructions: options.instructions } : {}),
  };
}

function fallbackAfter(name: string, options: ModelPluginOptions): number {
  const attempts = options.fallbackAfterAttempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > JOB_ATTEMPTS)
    throw new Error(
      `${name}.fallbackAfterAttempts: must be an integer from 1 to ${JOB_ATTEMPTS}, got ${attempts}`,
    );
  return attempts;
}
