/**
 * How long a model call may wait for the bundle of the event just sent (a tool call, a
 * user turn) when it is still in flight, ms; waited at most once per event. When the
 * bundle is there (anticipated in time, the common case) nothing is waited; while the
 * event stream is down (`reconnecting`, `degraded`) nothing is waited either, so an
 * outage costs a call nothing. What the bound covers is a service that is up but behind,
 * and a process's first calls while its stream connects.
 *
 * 2000, from measurements on the 2-core development machine (loadavg 25-40): a fresh
 * process (tsx) has its stream connected 0.7 s after the adapter is made when the machine
 * is quiet, 1-3 s when it is busy (loading grpc-js and checking the key), and at 50 ms a
 * first call never had its context. With 20 conversations at once through one wrapped
 * model (bench/anticipation-hit-rate.bench.ts, server in a process of its own), 0 of 60
 * calls after a tool call had their bundle within 1000 ms and 60 of 60 within 2000 ms
 * (p50 wait 1.2 s): the server answers one stream's events in order.
 */
export const DEFAULT_AWAIT_CONTEXT_MS = 2000;
