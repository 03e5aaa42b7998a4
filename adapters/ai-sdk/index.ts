/**
 * `foresight/ai-sdk`: the Vercel AI SDK language-model middleware, for `ai@7`
 * (LanguageModelV4) and `ai@6` (LanguageModelV3). It must never import LangChain
 * (test/package/packed-exports.test.ts).
 */
export {
  type ForesightMiddleware,
  type ForesightMiddlewareOptions,
  foresightMiddleware,
} from './foresight-middleware.js';
export { PROVIDER_OPTIONS_KEY } from './prompt-reading.js';
