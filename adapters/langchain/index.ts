/**
 * `foresight/langchain`: the callback handler and the `createAgent` middleware. They
 * land with the adapters; until then this entry is empty. It must never import the
 * AI SDK (test/package/packed-exports.test.ts).
 */
export {};
