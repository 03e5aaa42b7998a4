import { describe, expect, it } from 'vitest';
import { resolveGrpcEventStreamOptions } from '../../../src/client/grpc-event-stream.js';

// Behaviour against a real server is in event-stream.test.ts.
describe('resolveGrpcEventStreamOptions', () => {
  it("applies the reference client's timings and bounds", () => {
    expect(resolveGrpcEventStreamOptions({ target: '127.0.0.1:8421', apiKey: 'k' })).toMatchObject({
      clientId: '',
      instanceId: '',
      heartbeatIntervalMs: 30_000,
      deadAfterMs: 40_000,
      connectTimeoutMs: 5_000,
      backoff: { initialMs: 1_000, maxMs: 30_000 },
      maxQueuedEvents: 100,
      maxQueuedAgeMs: 300_000,
      drainTimeoutMs: 5_000,
    });
  });

  it('uses TLS by default only when the target names port 443', () => {
    const tlsOf = (target: string, tls?: boolean) =>
      resolveGrpcEventStreamOptions({ target, apiKey: 'k', ...(tls === undefined ? {} : { tls }) })
        .tls;
    expect(tlsOf('127.0.0.1:8421')).toBe(false);
    expect(tlsOf('localhost:4430')).toBe(false);
    expect(tlsOf('synap.example.com:443')).toBe(true);
    expect(tlsOf('[2001:db8::1]:443')).toBe(true);
    expect(tlsOf('synap.example.com:443', false)).toBe(false);
    expect(tlsOf('127.0.0.1:8421', true)).toBe(true);
  });
});
