/**
 * How long a model call may wait for the bundle of the event just sent (a tool call, a
 * user turn) when it is still in flight, ms. Small on purpose: on loopback a bundle
 * arrives in a few ms, and when the service is slow or down no call waits longer than
 * this. Waited at most once per event.
 */
export const DEFAULT_AWAIT_CONTEXT_MS = 50;
