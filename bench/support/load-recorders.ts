import { benchUserId } from './memory-corpus.js';

/** A recording that has not answered by then counts as an error: the run must end. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface LoadRecordersOutcome {
  recorded: number;
  errors: number;
  latenciesMs: number[];
}

/**
 * `recorders` REST clients, each recording one message every `1000 / perSecond` ms
 * (POST /v1/conversations/messages) until `stop` resolves: the turns an agent records
 * while its stream carries events. A recording unanswered after 30 s is an error.
 */
export async function runLoadRecorders(options: {
  restUrl: string;
  key: string;
  recorders: number;
  perSecond: number;
  users: number;
  stop: Promise<unknown>;
}): Promise<LoadRecordersOutcome> {
  const outcome: LoadRecordersOutcome = { recorded: 0, errors: 0, latenciesMs: [] };
  let stopped = false;
  void options.stop.then(() => {
    stopped = true;
  });
  const intervalMs = 1000 / options.perSecond;
  await Promise.all(
    Array.from({ length: options.recorders }, async (_, index) => {
      const conversationId = crypto.randomUUID();
      for (let n = 0; !stopped; n++) {
        const started = performance.now();
        try {
          const response = await fetch(`${options.restUrl}/v1/conversations/messages`, {
            method: 'POST',
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
            headers: { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              conversation_id: conversationId,
              role: n % 2 ? 'assistant' : 'user',
              content: `turn ${n}: I prefer aisle seats and my budget for hotels is 150 euros a night.`,
              user_id: benchUserId(index % options.users),
            }),
          });
          await response.arrayBuffer();
          if (response.ok) {
            outcome.recorded += 1;
            outcome.latenciesMs.push(performance.now() - started);
          } else outcome.errors += 1;
        } catch {
          outcome.errors += 1;
        }
        const wait = intervalMs - (performance.now() - started);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }),
  );
  return outcome;
}
