import { createHmac, timingSafeEqual } from 'node:crypto';

/** The cookie that carries an inspector session. */
export const SESSION_COOKIE = 'foresight_inspector';

/**
 * Inspector sessions: the browser sends its API key once (the login form), and gets
 * back an HttpOnly, SameSite=Strict cookie naming the key's id and an expiry, signed
 * with a secret derived from the server's. The key itself is never in the cookie, a
 * URL or a page; each request re-reads the key's row, so revoking the key ends its
 * sessions at once.
 */
export class InspectorSessions {
  readonly #secret: Buffer;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { serverSecret: string | Buffer; ttlMs?: number; now?: () => number }) {
    // Its own key: a session signature can never double as an API key hash.
    this.#secret = createHmac('sha256', options.serverSecret)
      .update('foresight inspector session v1')
      .digest();
    this.#ttlMs = options.ttlMs ?? 8 * 60 * 60 * 1000;
    this.#now = options.now ?? Date.now;
  }

  /** A signed session value for the key `keyId`. */
  issue(keyId: string): string {
    const expires = this.#now() + this.#ttlMs;
    const body = `${keyId}.${expires}`;
    return `${body}.${this.#sign(body)}`;
  }

  /** The key id of a valid, unexpired session value; undefined otherwise. */
  verify(value: string | undefined): string | undefined {
    const parts = value?.split('.');
    if (parts?.length !== 3) return undefined;
    const [keyId, expires, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.#sign(`${keyId}.${expires}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    if (!(Number(expires) > this.#now())) return undefined;
    return keyId;
  }

  /** Seconds a session lives: the cookie's Max-Age. */
  get maxAgeSeconds(): number {
    return Math.floor(this.#ttlMs / 1000);
  }

  #sign(body: string): string {
    return createHmac('sha256', this.#secret).update(body).digest('base64url');
  }
}

/** One cookie's value from a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
