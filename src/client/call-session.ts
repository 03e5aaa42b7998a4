/**
 * Lets a long-lived gRPC call stop keeping the process alive. grpc-js refs a
 * connection's HTTP/2 session while a call runs on it, and offers no option against it;
 * a Listen stream an adapter opened on its own must not hold a short script open (its
 * model calls are done, its client flushes on `beforeExit`, which only comes once nothing
 * holds the loop). So the session is found under the call and unref'd; grpc-js refs it
 * again only for a new call, and every reconnect is a new call that comes through here.
 */

/** The part of Node's `ClientHttp2Session` used here. */
interface SessionLike {
  unref(): void;
  ref(): void;
  ping(...args: unknown[]): boolean;
}

const MAX_DEPTH = 8;
const MAX_VISITED = 2000;

/**
 * Unrefs the HTTP/2 session a started grpc-js call runs on. Answers false when none
 * was found (a grpc-js whose internals moved, or a call not connected yet): then the
 * call keeps holding the process, as it did before, and nothing else changes.
 *
 * The search is bounded (depth and objects visited) and duck-typed on Node's own
 * `Http2Stream.session` (`ping`, `ref`, `unref`), not on grpc-js's private names.
 */
export function unrefCallSession(call: object): boolean {
  const session = findSession(call);
  if (session === undefined) return false;
  session.unref();
  return true;
}

function findSession(root: object): SessionLike | undefined {
  const visited = new Set<object>();
  let level: object[] = [root];
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0; depth++) {
    const next: object[] = [];
    for (const node of level) {
      if (visited.has(node) || visited.size >= MAX_VISITED) continue;
      visited.add(node);
      const session = (node as { session?: unknown }).session;
      if (isSession(session)) return session;
      for (const value of Object.values(node)) {
        if (typeof value === 'object' && value !== null && !visited.has(value)) next.push(value);
      }
    }
    level = next;
  }
  return undefined;
}

function isSession(value: unknown): value is SessionLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof SessionLike, unknown>>;
  return (
    typeof candidate.unref === 'function' &&
    typeof candidate.ref === 'function' &&
    typeof candidate.ping === 'function'
  );
}
