/**
 * Open Listen streams per API key. The server-wide bound (`maxStreams`) alone let one
 * key take every slot and lock every other client out; with a per-key share, a key at
 * its share is refused while the others still open theirs.
 */
export class KeyStreamQuota {
  readonly #open = new Map<string, number>();
  readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Takes a slot for `keyId`; false when the key already holds `limit` streams. */
  acquire(keyId: string): boolean {
    const open = this.#open.get(keyId) ?? 0;
    if (open >= this.limit) return false;
    this.#open.set(keyId, open + 1);
    return true;
  }

  /** Gives back a slot taken by `acquire`. */
  release(keyId: string): void {
    const open = this.#open.get(keyId) ?? 0;
    if (open <= 1) this.#open.delete(keyId);
    else this.#open.set(keyId, open - 1);
  }
}
