import { credentials, Server, ServerCredentials, type ServerDuplexStream } from '@grpc/grpc-js';
import {
  type StreamEvent,
  type StreamResponse,
  SynapServiceClient,
  SynapServiceService,
} from '../../src/gen/synap/v1/synap.js';
import type { LatencySummary } from './latency-summary.js';
import { StreamRoundTrips } from './stream-round-trips.js';

/**
 * The floor for the event → bundle latency: a bare grpc-js server on loopback whose
 * Listen answers each HeartbeatPing with a HeartbeatPong, and nothing else. Same
 * service definition, same codec, same client: the difference to the real server is
 * what the server does with an event.
 */
export async function measureGrpcEcho(options: {
  warmup: number;
  count: number;
}): Promise<LatencySummary> {
  const server = new Server();
  server.addService(SynapServiceService, {
    listen: (call: ServerDuplexStream<StreamEvent, StreamResponse>) => {
      call.on('data', (event: StreamEvent) => {
        if (event.payload?.$case !== 'heartbeatPing') return;
        call.write({
          payload: {
            $case: 'heartbeatPong',
            value: { timestampMs: event.payload.value.timestampMs },
          },
        });
      });
      call.on('end', () => call.end());
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  const client = new SynapServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
  const stream = new StreamRoundTrips(client.listen(), (response) =>
    response.payload?.$case === 'heartbeatPong'
      ? String(response.payload.value.timestampMs)
      : undefined,
  );
  try {
    // The ping's timestamp doubles as its sequence number: it is what the pong echoes.
    return await stream.measure(options.warmup, options.count, (index) => ({
      key: String(index + 1),
      message: { payload: { $case: 'heartbeatPing', value: { timestampMs: index + 1 } } },
    }));
  } finally {
    await stream.close();
    client.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  }
}
