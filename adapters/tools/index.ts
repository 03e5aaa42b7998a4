/**
 * `foresight/tools`: `withForesight(tool)` reports each call of an AI SDK or LangChain
 * tool to Foresight. It must load neither `ai` nor LangChain: tools are told apart by
 * shape (test/adapters/tools/imports.test.ts).
 */
export type { AiSdkToolLike } from './ai-sdk-tool.js';
export type { LangChainToolLike } from './langchain-tool.js';
export {
  type ForesightWrappableTool,
  type WithForesightClientOptions,
  type WithForesightOptions,
  type WithForesightToolsOptions,
  type WithForesightTrackerOptions,
  withForesight,
  withForesightTools,
} from './with-foresight.js';
