// Loaded before each example by `npm run example` (node --import): an example that fails
// because of its setup (no key, a refused key, no server at FORESIGHT_URL) says in one
// line what to set or start, instead of a stack trace. Anything else is one line too,
// with FORESIGHT_DEBUG=1 to see the stack.
import { SynapError } from 'foresight';

const url = process.env.FORESIGHT_URL || 'http://127.0.0.1:8420';
const EMBEDDED =
  'or unset FORESIGHT_URL and `npm run example -- <name>` starts a server of its own';

/** The one line for an error, naming the setting to change. */
export function exampleFailure(error: unknown): string {
  if (SynapError.isInstance(error)) {
    if (error.code === 'invalid_input' && error.field === 'apiKey')
      return `FORESIGHT_API_KEY is not set: set it to a key of ${url} (npm run foresight -- keys create --name dev), ${EMBEDDED}`;
    if (error.code === 'invalid_input' && error.field === 'url')
      return `FORESIGHT_URL ${JSON.stringify(url)} is not an http(s) URL: set it like http://127.0.0.1:8420, ${EMBEDDED}`;
    if (error.code === 'authentication_failed')
      return `${url} refused FORESIGHT_API_KEY: set a key that service issued (npm run foresight -- keys create --name dev), ${EMBEDDED}`;
    if (error.code === 'service_unavailable' || error.code === 'network_timeout')
      return `no context service answers at ${url}: start one (npm run foresight -- serve), ${EMBEDDED}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `the example failed: ${message.split('\n')[0]} (FORESIGHT_DEBUG=1 shows the stack)`;
}

if (!process.env.FORESIGHT_DEBUG) {
  process.on('uncaughtException', (error) => {
    console.error(exampleFailure(error));
    process.exit(1);
  });
}
