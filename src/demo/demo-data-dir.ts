/**
 * Where `foresight demo` keeps its embedded store unless told otherwise, and where
 * `foresight inspect` looks by default. Its own module: the commands read it without
 * loading the demo, which needs the optional AI SDK and LangChain peers.
 */
export const DEMO_DATA_DIR = '.foresight/demo';
