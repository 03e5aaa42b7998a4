import { credentials, Metadata } from '@grpc/grpc-js';
import { type StreamResponse, SynapServiceClient } from '../../src/gen/synap/v1/synap.js';

export interface ReplicaFreshnessOptions {
  /** The replica a message is recorded through (REST). */
  writeRestUrl: string;
  /** The other replica, asked over Listen until its bundle carries the message. */
  readGrpcTarget: string;
  key: string;
  /** Time between probes, ms. */
  everyMs: number;
  /** How long one probe asks before it counts the message as not seen, ms. */
  giveUpMs: number;
  stop: Promise<unknown>;
}

/** Per probe, from the write's acknowledgement (ms). */
export interface ReplicaFreshnessOutcome {
  /** To the sending of the first event whose bundle carried the message. */
  seenByEventSentAfterMs: number[];
  /**
   * To the sending of each event whose bundle came without the message: what the other
   * replica had not seen yet. An event shed under the load (no bundle) is not one.
   */
  missedByEventSentAfterMs: number[];
  /** Events of the probes that got no bundle within a second (shed or late). */
  unanswered: number;
  /** To the arrival of that bundle (the event's own wait under the load included). */
  bundleArrivedAfterMs: number[];
  /** Probes whose message no bundle carried within `giveUpMs`. */
  notSeen: number;
  /** Writes the first replica refused or failed, and why the first of them did. */
  writeErrors: number;
  firstWriteError?: string;
}

/** Between two asks of one probe: short, so the figure is the replica's, not the poll's. */
const ASK_EVERY_MS = 10;

/**
 * What "a write through one replica is seen by an event on the other" takes, measured
 * while the load runs: every `everyMs`, a message naming a new code is recorded for a
 * user of its own through one replica; from its acknowledgement on, a user_message
 * event of that user asks the other replica for the code every 10 ms, in another
 * conversation (so the message can only come back as a past message of the user, read
 * through the other replica's store), until a bundle item carries the code.
 */
export async function runReplicaFreshness(
  options: ReplicaFreshnessOptions,
): Promise<ReplicaFreshnessOutcome> {
  const outcome: ReplicaFreshnessOutcome = {
    seenByEventSentAfterMs: [],
    missedByEventSentAfterMs: [],
    unanswered: 0,
    bundleArrivedAfterMs: [],
    notSeen: 0,
    writeErrors: 0,
  };
  let stopped = false;
  void options.stop.then(() => {
    stopped = true;
  });
  const client = new SynapServiceClient(options.readGrpcTarget, credentials.createInsecure(), {
    'grpc.use_local_subchannel_pool': 1,
  });
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${options.key}`);
  const call = client.listen(metadata);
  call.on('error', () => {});
  /** Bundles by the event id they answer, waited on by `ask`. */
  const waiting = new Map<string, (response: StreamResponse) => void>();
  call.on('data', (response: StreamResponse) => {
    const payload = response.payload;
    if (payload?.$case !== 'contextBundle') return;
    waiting.get(payload.value.inReplyToEventId)?.(response);
  });

  const writeFailed = (reason: string) => {
    outcome.writeErrors += 1;
    outcome.firstWriteError ??= reason;
  };
  let eventNumber = 0;
  // Another conversation than the one the message is recorded in: the message can then
  // only come back as a past message of the user, not as one of the conversation's turns.
  const asking = crypto.randomUUID();
  /** One event; answers whether its bundle carries `code`, or that no bundle came in time. */
  const ask = (userId: string, code: string): Promise<'seen' | 'missed' | 'unanswered'> => {
    const eventId = `fresh-${eventNumber++}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiting.delete(eventId);
        resolve('unanswered');
      }, 1000);
      waiting.set(eventId, (response) => {
        clearTimeout(timer);
        waiting.delete(eventId);
        const bundle = response.payload?.$case === 'contextBundle' ? response.payload.value : null;
        const items = Object.values(bundle?.itemsByType ?? {}).flatMap((list) => list.items);
        resolve(items.some((item) => item.content.includes(code)) ? 'seen' : 'missed');
      });
      call.write({
        payload: {
          $case: 'conversationEvent',
          value: {
            eventType: 'user_message',
            conversationId: asking,
            userId,
            role: 'user',
            content: 'what was my locker code again?',
            customerId: '',
            sessionId: '',
            metadata: { event_id: eventId },
            timestampMs: Date.now(),
            toolName: '',
            toolArgsJson: '',
            searchQueries: [],
            contextTypes: [],
          },
        },
      });
    });
  };

  for (let probe = 0; !stopped; probe++) {
    const started = performance.now();
    const userId = `fresh-${process.pid}-${probe}`;
    const code = `LK${Math.floor(100_000 + Math.random() * 900_000)}`;
    let acknowledged: number | undefined;
    try {
      const response = await fetch(`${options.writeRestUrl}/v1/conversations/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          conversation_id: crypto.randomUUID(),
          role: 'user',
          content: `my locker code is ${code}, the one by the pool`,
          user_id: userId,
        }),
        // A write the replica never answers is a failed write, not a stopped probe.
        signal: AbortSignal.timeout(options.giveUpMs),
      });
      const body = await response.text();
      if (response.ok) acknowledged = performance.now();
      else writeFailed(`HTTP ${response.status} ${body}`);
    } catch (error) {
      writeFailed(String(error));
    }
    if (acknowledged !== undefined) {
      let seen = false;
      while (!seen && performance.now() - acknowledged < options.giveUpMs) {
        const sent = performance.now();
        const answer = await ask(userId, code);
        seen = answer === 'seen';
        if (seen) {
          outcome.seenByEventSentAfterMs.push(sent - acknowledged);
          outcome.bundleArrivedAfterMs.push(performance.now() - acknowledged);
          break;
        }
        if (answer === 'missed') outcome.missedByEventSentAfterMs.push(sent - acknowledged);
        else outcome.unanswered += 1;
        await new Promise((resolve) => setTimeout(resolve, ASK_EVERY_MS));
      }
      if (!seen) outcome.notSeen += 1;
    }
    const wait = options.everyMs - (performance.now() - started);
    if (wait > 0 && !stopped) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  call.end();
  client.close();
  return outcome;
}
