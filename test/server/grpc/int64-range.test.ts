import { randomUUID } from 'node:crypto';
import { Client, type ClientDuplexStream, credentials, type StatusObject } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationEvent, StreamResponse } from '../../../src/gen/synap/v1/synap.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { listenMetadata } from './listen-probe.js';

// int64 fields reach the server as raw varints: a client (another language's SDK, or a
// bug) may send any value up to 2^63 - 1, which a JavaScript number cannot hold. Such
// an event is one bad event: an `error` signal naming the field, and the stream lives on.

const INT64_MAX = 2n ** 63n - 1n;

function varint(value: bigint): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80n) {
    bytes.push(Number((rest & 0x7fn) | 0x80n));
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return Buffer.from(bytes);
}

/** A length-delimited field (wire type 2) holding `body`. */
function embedded(fieldNumber: number, body: Buffer): Buffer {
  return Buffer.concat([varint(BigInt((fieldNumber << 3) | 2)), varint(BigInt(body.length)), body]);
}

/** A varint field (wire type 0). */
function varintField(fieldNumber: number, value: bigint): Buffer {
  return Buffer.concat([varint(BigInt(fieldNumber << 3)), varint(value)]);
}

/** StreamEvent{heartbeat_ping (2){timestamp_ms (1)}}. */
function rawPing(timestampMs: bigint): Buffer {
  return embedded(2, varintField(1, timestampMs));
}

/** StreamEvent{conversation_event (1)} whose timestamp_ms (field 9) is `timestampMs`. */
function rawUserMessage(timestampMs: bigint): Buffer {
  const event = ConversationEvent.encode(
    ConversationEvent.fromPartial({
      eventType: 'user_message',
      conversationId: randomUUID(),
      userId: 'ana',
      role: 'user',
      content: 'Book me a flight to Lisbon',
    }),
  ).finish();
  // A later occurrence of a scalar field wins when decoding.
  return embedded(1, Buffer.concat([Buffer.from(event), varintField(9, timestampMs)]));
}

type Payload = NonNullable<StreamResponse['payload']>;

/** A Listen call that writes raw bytes and reads decoded responses. */
class RawListen {
  readonly received: Payload[] = [];
  readonly call: ClientDuplexStream<Buffer, StreamResponse>;
  readonly status: Promise<StatusObject>;
  #waiters = new Set<() => void>();

  constructor(client: Client, key: string) {
    this.call = client.makeBidiStreamRequest(
      '/synap.v1.SynapService/Listen',
      (bytes: Buffer) => bytes,
      (bytes: Buffer) => StreamResponse.decode(bytes),
      listenMetadata(key),
    );
    this.call.on('data', (response: StreamResponse) => {
      if (response.payload) this.received.push(response.payload);
      for (const waiter of this.#waiters) waiter();
    });
    this.call.on('error', () => {});
    this.status = new Promise((resolve) => this.call.on('status', resolve));
  }

  /** Waits (bounded) until `count` responses arrived; answers them. */
  next(count: number): Promise<Payload[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.received.length < count) return;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(this.received.slice(0, count));
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`got ${JSON.stringify(this.received)} before the timeout`));
      }, 5_000);
      this.#waiters.add(check);
      check();
    });
  }
}

describe('int64 fields beyond 2^53 on Listen', () => {
  let t: TestServer;
  let client: Client;
  beforeAll(async () => {
    t = await startTestServer('pglite');
    client = new Client(t.server.grpcTarget, credentials.createInsecure());
  });
  afterAll(async () => {
    client?.close();
    await t?.close();
  });

  it('answers a ping with timestamp_ms 2^63 - 1 with an error signal naming the field, then pongs the next ping', async () => {
    const listen = new RawListen(client, t.tenant.key);
    listen.call.write(rawPing(INT64_MAX));
    listen.call.write(rawPing(1_763_900_000_123n));
    const [first, second] = await listen.next(2);
    expect(first).toMatchObject({
      $case: 'signal',
      value: {
        signalType: 'error',
        metadata: { field: 'heartbeat_ping.timestamp_ms', code: 'invalid_input' },
      },
    });
    expect(second).toEqual({ $case: 'heartbeatPong', value: { timestampMs: 1_763_900_000_123 } });
    listen.call.end();
    expect((await listen.status).code).toBe(0);
  });

  it('answers an event with timestamp_ms 2^63 - 1 with an error signal naming the field; the stream stays up', async () => {
    const listen = new RawListen(client, t.tenant.key);
    listen.call.write(rawUserMessage(INT64_MAX));
    const [signal] = await listen.next(1);
    expect(signal).toMatchObject({
      $case: 'signal',
      value: {
        signalType: 'error',
        reason: 'timestamp_ms: must be a date in milliseconds since the epoch',
        metadata: { field: 'timestamp_ms', code: 'invalid_input' },
      },
    });
    listen.call.write(rawPing(42n));
    const responses = await listen.next(2);
    expect(responses[1]).toEqual({ $case: 'heartbeatPong', value: { timestampMs: 42 } });
    listen.call.end();
    expect((await listen.status).code).toBe(0);
  });
});
