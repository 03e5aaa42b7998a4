/**
 * How long a model call may wait for the bundle of the event just sent (a tool call, a
 * user turn) when it is still in flight, ms; waited at most once per event. When the
 * bundle is there (anticipated in time, the common case) nothing is waited; while the
 * event stream is down (`reconnecting`, `degraded`) nothing is waited either, so an
 * outage costs a call nothing. What the bound covers is a service that is up but behind,
 * and a process's first calls while its stream connects.
 *
 * 1000, from measurements on a 2-core machine (bench/anticipation-hit-rate.bench.ts and
 * the zero-wiring tests): a fresh process (tsx) has its stream connected about 0.7 s
 * after the adapter is made (loading grpc-js and the key's check), and its bundle comes
 * 30-70 ms after the event; at 50 ms a first call never had its context. Under 20
 * conversations at once on one client, bundles came 0.6-0.7 s after their events.
 */
export const DEFAULT_AWAIT_CONTEXT_MS = 1000;
