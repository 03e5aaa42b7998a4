/**
 * A process that queues records into a spooled outbox and then waits to be killed:
 * `node --import tsx spool-writer.ts <spoolDir> <url> <apiKey> <conversationId> <count>`.
 * It prints `queued` once `enqueue` returned for every record.
 */
import { createClient } from '../../../src/index.js';
import { turn } from './outbox-fixtures.js';

const [spoolDir, url, apiKey, conversationId, count] = process.argv.slice(2);
const client = createClient({
  url,
  apiKey,
  env: {},
  logger: { warn() {} },
  outbox: { spoolDir, baseRetryDelayMs: 10, maxRetryDelayMs: 50 },
});
for (let index = 0; index < Number(count); index += 1) {
  client.outbox.enqueue(turn(conversationId as string, index));
}
process.stdout.write('queued\n');
// Kept alive (and retrying) until the test kills it.
setInterval(() => undefined, 1_000);
