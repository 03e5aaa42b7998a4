// A model call's waits with nothing else alive in the process: each must settle within
// its bound, so the script prints both outcomes and exits 0 (an unref'd timer would
// leave the awaits unsettled, and node would exit 13 without printing).
import { AnticipationCache } from '../../../src/client/anticipation-cache.js';
import { within } from '../../../src/tracker/bounded-wait.js';

const never = new Promise<string>(() => undefined);
const sent = await within(never, 30);
const answer = await new AnticipationCache().waitFor({
  conversationId: 'c',
  afterEvent: 'e',
  timeoutMs: 30,
});
console.log(JSON.stringify({ sent: sent ?? null, answer: answer.status }));
