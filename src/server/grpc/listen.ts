import { type handleBidiStreamingCall, status } from '@grpc/grpc-js';
import type { StreamEvent, StreamResponse } from '../../gen/synap/v1/synap.js';
import { ListenStream, type ListenStreamDependencies } from './listen-stream.js';
import { signalResponse } from './stream-messages.js';

/**
 * The `Listen` rpc: owns every open stream so that shutdown can tell each one
 * `closing` and wait for it. One instance per server.
 */
export class ListenService {
  readonly #deps: ListenStreamDependencies;
  readonly #streams = new Set<ListenStream>();
  readonly #maxStreams: number;
  #closingReason: string | undefined;

  /** `maxStreams`: open streams at most (each holds buffers and a queue). Default 10 000. */
  constructor(deps: ListenStreamDependencies, options: { maxStreams?: number } = {}) {
    this.#deps = deps;
    this.#maxStreams = options.maxStreams ?? 10_000;
  }

  get openStreams(): number {
    return this.#streams.size;
  }

  readonly handler: handleBidiStreamingCall<StreamEvent, StreamResponse> = (call) => {
    if (this.#closingReason !== undefined) {
      // Accepted in the moment before the server stopped listening: send it on.
      call.write(signalResponse('closing', this.#closingReason));
      call.end();
      return;
    }
    if (this.#streams.size >= this.#maxStreams) {
      this.#deps.metrics?.rateLimited.inc({ surface: 'grpc_streams' });
      // grpc-js ends a server stream with this status when 'error' is emitted on it.
      call.emit('error', {
        code: status.RESOURCE_EXHAUSTED,
        details: `this server holds ${this.#maxStreams} open streams; retry shortly or elsewhere`,
      });
      return;
    }
    const stream = new ListenStream(call, this.#deps, () => {
      if (this.#streams.delete(stream)) this.#deps.metrics?.streamsOpen.dec();
    });
    this.#streams.add(stream);
    this.#deps.metrics?.streamsOpen.inc();
    try {
      stream.start();
    } catch (error) {
      this.#deps.logger?.error({ err: error }, 'listen stream failed to start');
      call.end();
    }
  };

  /** Sends `closing` to every open stream and ends each within `graceMs`. */
  async closeAll(reason: string, graceMs: number): Promise<void> {
    this.#closingReason = reason;
    await Promise.all([...this.#streams].map((stream) => stream.close(reason, graceMs)));
  }
}
