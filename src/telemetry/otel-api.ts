import type * as OtelApi from '@opentelemetry/api';
import { SDK_VERSION } from '../version.js';

/** The `@opentelemetry/api` module, as this file loads it. */
export type Otel = typeof OtelApi;
export type Span = OtelApi.Span;
export type Attributes = OtelApi.Attributes;

let loaded: Otel | null | undefined;
let cachedTracer: OtelApi.Tracer | undefined;

/**
 * `@opentelemetry/api`, an optional peer dependency: loaded on first use, and undefined
 * for good when it is not installed, so tracing then costs one check. Loaded with a
 * synchronous `require` (a module import would fail a process without it, and an async
 * one would miss the first spans); the API keeps its registered provider on
 * `globalThis`, so this copy sees what an ESM import of it registered.
 */
export function otel(): Otel | undefined {
  if (loaded === undefined) {
    try {
      // No static `node:module` import: the client also runs where there is none (edge
      // runtimes), and there tracing is simply off.
      const modules = globalThis.process?.getBuiltinModule?.('node:module') as
        | typeof import('node:module')
        | undefined;
      loaded = modules
        ? (modules.createRequire(import.meta.url)('@opentelemetry/api') as Otel)
        : null;
    } catch {
      // Not installed: tracing is off, which is the documented behaviour without it.
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/** Foresight's tracer (a proxy: it follows an SDK registered later). */
export function tracer(): OtelApi.Tracer | undefined {
  if (cachedTracer) return cachedTracer;
  const api = otel();
  cachedTracer = api?.trace.getTracer('foresight', SDK_VERSION);
  return cachedTracer;
}

/**
 * Where `@opentelemetry/api` 1.x keeps what was registered globally (its documented
 * cross-copy registry): `trace` is set there only by `setGlobalTracerProvider`.
 */
const GLOBAL_REGISTRY = Symbol.for('opentelemetry.js.api.1');

/**
 * Whether a tracer provider is registered: one property read, so without an SDK a call
 * path pays neither for the API's lookups nor for a non-recording span (together about
 * 200 ns a call, measured).
 */
export function sdkRegistered(): boolean {
  const registry = (globalThis as { [GLOBAL_REGISTRY]?: { trace?: unknown } })[GLOBAL_REGISTRY];
  return registry?.trace !== undefined;
}

/**
 * Starts a span, or answers undefined when nothing would record it (no API, no SDK
 * registered, or sampled out): callers then skip building attributes at all.
 */
export function startSpan(
  name: string,
  options: OtelApi.SpanOptions,
  parent?: OtelApi.Context,
): Span | undefined {
  const active = tracer();
  if (!active || !sdkRegistered()) return undefined;
  const span = active.startSpan(name, options, parent);
  if (span.isRecording()) return span;
  span.end();
  return undefined;
}

/** Ends a span with an error status naming the error's class and code, never its message. */
export function endWithError(span: Span, error: unknown): void {
  const api = otel();
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  span.setAttribute('error.type', typeof code === 'string' ? code : name);
  if (api) span.setStatus({ code: api.SpanStatusCode.ERROR });
  span.end();
}
