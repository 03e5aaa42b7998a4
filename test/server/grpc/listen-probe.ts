import { type ClientDuplexStream, credentials, Metadata, type StatusObject } from '@grpc/grpc-js';
import {
  type ContextBundleProto,
  type StreamEvent,
  type StreamResponse,
  SynapServiceClient,
} from '../../../src/gen/synap/v1/synap.js';

/** A grpc-js client of our generated SynapService, as the SDKs would build it. */
export function synapClient(port: number): SynapServiceClient {
  return new SynapServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
}

/** The metadata the reference client sends on Listen (ids possibly empty). */
export function listenMetadata(key: string | undefined): Metadata {
  const metadata = new Metadata();
  if (key !== undefined) metadata.set('authorization', `Bearer ${key}`);
  metadata.set('x-client-id', '');
  metadata.set('x-instance-id', '');
  return metadata;
}

type Payload = NonNullable<StreamResponse['payload']>;

/** Reads a Listen call: every response in order, and the final status. */
export class ListenProbe {
  readonly call: ClientDuplexStream<StreamEvent, StreamResponse>;
  readonly received: Payload[] = [];
  readonly status: Promise<StatusObject>;
  #taken = new Set<Payload>();
  #listeners = new Set<() => void>();

  constructor(client: SynapServiceClient, key: string | undefined) {
    this.call = client.listen(listenMetadata(key));
    this.call.on('data', (response: StreamResponse) => {
      if (response.payload) this.received.push(response.payload);
      for (const listener of this.#listeners) listener();
    });
    // The status event carries the outcome; 'error' repeats it for non-OK codes.
    this.call.on('error', () => {});
    this.status = new Promise((resolve) => this.call.on('status', resolve));
  }

  send(payload: NonNullable<StreamEvent['payload']>): void {
    this.call.write({ payload });
  }

  ping(timestampMs: number): void {
    this.send({ $case: 'heartbeatPing', value: { timestampMs } });
  }

  nextBundle(predicate: (bundle: ContextBundleProto) => boolean = () => true) {
    return this.#take((p) =>
      p.$case === 'contextBundle' && predicate(p.value) ? p.value : undefined,
    );
  }

  nextPong() {
    return this.#take((p) => (p.$case === 'heartbeatPong' ? p.value : undefined));
  }

  nextSignal(type: string) {
    return this.#take((p) =>
      p.$case === 'signal' && p.value.signalType === type ? p.value : undefined,
    );
  }

  /** The first response not yet taken that `pick` accepts, waiting at most `timeoutMs`. */
  #take<T>(pick: (payload: Payload) => T | undefined, timeoutMs = 5_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (const payload of this.received) {
          if (this.#taken.has(payload)) continue;
          const value = pick(payload);
          if (value === undefined) continue;
          this.#taken.add(payload);
          done();
          resolve(value);
          return;
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`nothing matched within ${timeoutMs} ms; got ${JSON.stringify(this.received)}`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }

  signals(): Extract<Payload, { $case: 'signal' }>['value'][] {
    return this.received.flatMap((payload) => (payload.$case === 'signal' ? [payload.value] : []));
  }
}
