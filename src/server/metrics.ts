import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The server's Prometheus metrics, one registry per server instance (never the global
 * one, so two servers in one process, as in tests, do not collide). Served at /metrics.
 */
export class ServerMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'foresight_http_requests_total',
    help: 'REST requests by route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'foresight_http_request_duration_seconds',
    help: 'REST request latency by route.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly streamsOpen = new Gauge({
    name: 'foresight_streams_open',
    help: 'Open Listen streams.',
    registers: [this.registry],
  });

  readonly longPollsWaiting = new Gauge({
    name: 'foresight_long_polls_waiting',
    help: 'HTTP long-polls (GET /v1/bundles/next) waiting for a bundle.',
    registers: [this.registry],
  });

  readonly streamEvents = new Counter({
    name: 'foresight_stream_events_total',
    help: 'Conversation events received, by transport and event type.',
    labelNames: ['transport', 'event_type'] as const,
    registers: [this.registry],
  });

  readonly bundlesPushed = new Counter({
    name: 'foresight_bundles_pushed_total',
    help: 'Context bundles pushed to clients, by transport.',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });

  readonly eventToBundle = new Histogram({
    name: 'foresight_event_to_bundle_seconds',
    help: 'Time from receiving an event to the bundle being written to the client.',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'foresight_rate_limited_total',
    help: 'Requests or events refused by a rate limit, by surface.',
    labelNames: ['surface'] as const,
    registers: [this.registry],
  });

  readonly eventsShed = new Counter({
    name: 'foresight_events_shed_total',
    help: 'Listen events dropped because the server was behind (a throttle signal was sent).',
    registers: [this.registry],
  });

  readonly eventRowsFailed = new Counter({
    name: 'foresight_event_rows_failed_total',
    help: 'Event rows (an event and its bundle) the store refused; the log names each one.',
    registers: [this.registry],
  });

  readonly telemetryEvents = new Counter({
    name: 'foresight_telemetry_events_total',
    help: 'Telemetry events accepted (REST and gRPC).',
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }
}
