/**
 * `foresight/ai-sdk`: the Vercel AI SDK language-model middleware. It lands with the
 * adapters; until then this entry is empty rather than a stub that pretends to work.
 * It must never import LangChain (test/package/module-isolation.test.ts).
 */
export {};
