/**
 * `foresight/langchain`: for `createAgent` (langchain v1), `foresightMiddleware` injects
 * the anticipated context and records turns and tool calls; for plain models and chains,
 * `withForesightContext(model)` injects and records (through a `ForesightCallbackHandler`);
 * the handler alone records without injecting (callbacks cannot change a prompt). It must
 * never import the AI SDK (test/package/packed-exports.test.ts).
 */

export { IDENTITY_KEY, identityFromRun, type RunIdentitySources } from '../../src/tracker/index.js';
export {
  type CallbackEvent,
  ForesightCallbackHandler,
  type ForesightCallbackHandlerOptions,
} from './foresight-callback-handler.js';
export {
  type ForesightAgentMiddleware,
  type ForesightMiddlewareOptions,
  foresightMiddleware,
  MIDDLEWARE_NAME,
} from './foresight-middleware.js';
export {
  type ChatModelLike,
  type ForesightContextControls,
  type WithForesightContextOptions,
  withForesightContext,
} from './with-foresight-context.js';
