import type { handleClientStreamingCall, ServerErrorResponse } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { TelemetryAck, TelemetryEvent } from '../../gen/synap/v1/synap.js';
import type { TelemetryInput } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import type { AuthContext } from '../api-keys.js';
import type { ServerMetrics } from '../metrics.js';
import { ServerError } from '../server-error.js';
import type { CallAuthenticator } from './call-authenticator.js';
import { toGrpcStatus } from './status.js';
import { telemetryPayload } from './stream-messages.js';

export interface IngestTelemetryOptions {
  authenticator: CallAuthenticator;
  store: Store;
  metrics?: ServerMetrics;
  logger?: Logger;
  /** Events one call may carry. Default 10 000. */
  maxEventsPerCall?: number;
  /** Events written to the store per statement. Default 500. */
  chunkSize?: number;
}

/**
 * `IngestTelemetry`: a client stream of TelemetryEvent, stored in chunks as it
 * arrives (memory stays bounded however long the stream) and answered once, after
 * the client half-closes, with `{status: 'accepted', events_received}`.
 */
export function createIngestTelemetryHandler(
  options: IngestTelemetryOptions,
): handleClientStreamingCall<TelemetryEvent, TelemetryAck> {
  const maxEvents = options.maxEventsPerCall ?? 10_000;
  const chunkSize = options.chunkSize ?? 500;
  const { store, metrics, logger } = options;

  return (call, callback) => {
    let chunk: TelemetryInput[] = [];
    let received = 0;
    let answered = false;
    let writes: Promise<void> = Promise.resolve();

    const answer = (error: ServerErrorResponse | null, ack?: TelemetryAck) => {
      if (answered) return;
      answered = true;
      if (error) callback(error);
      else callback(null, ack);
    };
    const fail = (error: unknown) => {
      if (!(error instanceof ServerError)) logger?.error({ err: error }, 'telemetry ingest failed');
      const { code, details } = toGrpcStatus(error);
      answer({ name: 'TelemetryError', message: details, code, details });
    };
    const authenticated = options.authenticator.authenticate(call.metadata, call.getPeer());
    // A bad key is answered at once, not after the client has sent everything.
    authenticated.catch(fail);

    const flush = () => {
      const events = chunk;
      chunk = [];
      if (events.length === 0) return;
      // The chain never rejects: a failure answers the call and later chunks are skipped.
      writes = writes
        .then(async () => {
          if (answered) return;
          const auth: AuthContext = await authenticated;
          const stored = await store.recordTelemetry(auth.clientId, events);
          metrics?.telemetryEvents.inc(stored);
        })
        .catch(fail);
    };

    call.on('data', (event: TelemetryEvent) => {
      if (answered) return;
      received += 1;
      if (received > maxEvents) {
        fail(
          new ServerError({
            code: 'payload_too_large',
            detail: `at most ${maxEvents} telemetry events per call`,
          }),
        );
        return;
      }
      chunk.push({ eventType: event.eventType || 'unknown', payload: telemetryPayload(event) });
      if (chunk.length >= chunkSize) flush();
    });
    call.on('end', () => {
      flush();
      writes
        .then(() => authenticated)
        .then(() => answer(null, { status: 'accepted', eventsReceived: received }), fail);
    });
    call.on('error', (error: unknown) => {
      logger?.debug({ err: error }, 'telemetry stream error');
    });
  };
}
