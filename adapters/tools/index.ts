/**
 * `foresight/tools`: `withForesight(tool)` for AI SDK and LangChain tools. It lands with
 * the adapters; until then this entry is empty.
 */
export {};
