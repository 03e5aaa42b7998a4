import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { recordMessageSchema, validateInput } from '../input-schemas.js';
import type { ForesightLogger } from '../logger.js';
import type { RecordMessageInput } from '../types.js';

/** One queued record as the journal holds it: `id` is the outbox's, unique within a journal. */
export interface SpooledRecord {
  id: number;
  record: RecordMessageInput;
}

/** `outbox-<epoch ms>-<owner pid>-<random>.jsonl`, optionally `.claimed-<claimer pid>` while replayed. */
const JOURNAL = /^outbox-(\d+)-(\d+)-[0-9a-f]+\.jsonl(?:\.claimed-(\d+)-[0-9a-f]+)?$/;

/** Past this size, a journal whose live part is under a quarter of it is rewritten. */
const COMPACT_MIN_BYTES = 1024 * 1024;

/**
 * Journals held open by live outboxes of this process: a same-process journal is only
 * replayed once its outbox closed, since the pid alone cannot tell.
 */
const openJournals = new Set<string>();

/**
 * The outbox's on-disk journal: one append-only JSON-lines file per client, in
 * `spoolDir`. Each queued record is a `{"p":id,"r":record}` line, written with
 * `writeSync` before `enqueue` returns, so a crash of the process loses nothing the
 * caller handed over; each delivered, failed or dropped record becomes a
 * `{"d":[ids]}` line. The file is fsync'd by `sync()` (the outbox calls it on
 * `flush()` and `close()`), so a crash of the machine itself may lose what was
 * enqueued since the last flush. Emptied when nothing is live, rewritten when mostly
 * dead (it keeps a copy of each live line for that, bounded like the queue), deleted
 * on `close()` when nothing is left.
 *
 * A new spool replays journals whose owner is gone: another process that is no
 * longer running, or an outbox of this process that was closed. It claims each one
 * by an atomic rename (so two clients starting together never both replay it),
 * copies its live records into its own journal, then deletes it. Unreadable lines
 * (a last line cut short by a crash) are skipped and counted.
 */
export class OutboxSpool {
  readonly #path: string;
  readonly #logger: ForesightLogger;
  /** Live records' lines by id, in journal order: what a rewrite keeps. */
  readonly #live = new Map<number, string>();
  /** Orphaned journals claimed by open(), deleted once their records are in this one. */
  #claimed: string[];
  #fd: number | undefined;
  #bytes = 0;

  private constructor(path: string, fd: number, logger: ForesightLogger, claimed: string[]) {
    this.#path = path;
    this.#fd = fd;
    this.#logger = logger;
    this.#claimed = claimed;
  }

  /**
   * Opens a fresh journal in `dir` (created if missing) and answers it with the live
   * records of the orphaned journals found there, oldest journal first, each
   * idempotency key once. Journal them with `append`, then call `releaseRecovered()`.
   */
  static open(
    dir: string,
    logger: ForesightLogger,
  ): { spool: OutboxSpool; recovered: RecordMessageInput[] } {
    mkdirSync(dir, { recursive: true });
    const { records: recovered, claimed } = recoverOrphans(dir, logger);
    const name = `outbox-${Date.now()}-${process.pid}-${randomBytes(4).toString('hex')}.jsonl`;
    const path = join(dir, name);
    const fd = openSync(path, 'a');
    openJournals.add(path);
    return { spool: new OutboxSpool(path, fd, logger, claimed), recovered };
  }

  /** Deletes the replayed journals: their records are in this one by now. */
  releaseRecovered(): void {
    for (const path of this.#claimed.splice(0)) unlinkSync(path);
  }

  /** The journal's path. */
  get path(): string {
    return this.#path;
  }

  /** Records in the journal not yet delivered, failed or dropped. */
  get size(): number {
    return this.#live.size;
  }

  /** Journals the records; the write is done (in the OS) when this returns. */
  append(records: SpooledRecord[]): void {
    if (this.#fd === undefined || records.length === 0) return;
    let text = '';
    for (const { id, record } of records) {
      const line = `${JSON.stringify({ p: id, r: record })}\n`;
      this.#live.set(id, line);
      text += line;
    }
    this.#write(text);
  }

  /** Marks records as settled (delivered, failed or dropped): they are not replayed. */
  remove(ids: number[]): void {
    if (this.#fd === undefined || ids.length === 0) return;
    for (const id of ids) this.#live.delete(id);
    if (this.#live.size === 0) {
      ftruncateSync(this.#fd, 0);
      this.#bytes = 0;
      return;
    }
    this.#write(`${JSON.stringify({ d: ids })}\n`);
    if (this.#bytes > COMPACT_MIN_BYTES) this.#compactIfMostlyDead();
  }

  /** Forces the journal to the disk (fsync). */
  sync(): void {
    if (this.#fd !== undefined) fsyncSync(this.#fd);
  }

  /**
   * Syncs and closes the journal, leaving its live records for the next spool of
   * this directory; an empty journal is deleted. Idempotent.
   */
  close(): void {
    if (this.#fd === undefined) return;
    fsyncSync(this.#fd);
    closeSync(this.#fd);
    this.#fd = undefined;
    if (this.#live.size === 0) unlinkSync(this.#path);
    openJournals.delete(this.#path);
  }

  #write(text: string): void {
    const fd = this.#fd as number;
    const buffer = Buffer.from(text);
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(fd, buffer, offset);
    this.#bytes += buffer.length;
  }

  #compactIfMostlyDead(): void {
    let liveBytes = 0;
    for (const line of this.#live.values()) liveBytes += Buffer.byteLength(line);
    if (liveBytes * 4 > this.#bytes) return;
    // Written aside, synced, then renamed over: a crash leaves either journal whole.
    const temporary = `${this.#path}.compact`;
    const fd = openSync(temporary, 'w');
    const text = Buffer.from([...this.#live.values()].join(''));
    let offset = 0;
    while (offset < text.length) offset += writeSync(fd, text, offset);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, this.#path);
    closeSync(this.#fd as number);
    this.#fd = openSync(this.#path, 'a');
    this.#bytes = text.length;
    this.#logger.debug?.({ path: this.#path, bytes: text.length }, 'outbox journal compacted');
  }
}

function recoverOrphans(
  dir: string,
  logger: ForesightLogger,
): { records: RecordMessageInput[]; claimed: string[] } {
  const orphans = readdirSync(dir)
    .filter((name) => isOrphan(dir, name))
    // The epoch ms prefix has 13 digits until 2286: name order is age order.
    .sort();
  const recovered: RecordMessageInput[] = [];
  const claimedPaths: string[] = [];
  const keys = new Set<string>();
  let unreadable = 0;
  for (const name of orphans) {
    const claimed = join(
      dir,
      `${name.replace(/\.claimed-.*$/, '')}.claimed-${process.pid}-${randomBytes(4).toString('hex')}`,
    );
    try {
      renameSync(join(dir, name), claimed);
    } catch {
      // Another client claimed it first.
      continue;
    }
    const journal = readJournal(readFileSync(claimed, 'utf8'));
    unreadable += journal.unreadable;
    for (const record of journal.records) {
      const key = record.idempotencyKey as string;
      if (keys.has(key)) continue;
      keys.add(key);
      recovered.push(record);
    }
    claimedPaths.push(claimed);
  }
  if (unreadable > 0) {
    logger.warn(
      { unreadable, dir },
      'outbox journal had unreadable lines (cut short by a crash?); they were skipped',
    );
  }
  return { records: recovered, claimed: claimedPaths };
}

function isOrphan(dir: string, name: string): boolean {
  const match = JOURNAL.exec(name);
  if (!match) return false;
  const owner = Number(match[3] ?? match[2]);
  if (owner === process.pid) return !openJournals.has(join(dir, name));
  return !isRunning(owner);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live records of a journal's text, in order; unreadable lines are counted. */
export function readJournal(text: string): { records: RecordMessageInput[]; unreadable: number } {
  const live = new Map<number, RecordMessageInput>();
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      unreadable += 1;
      continue;
    }
    const entry = parsed as { p?: unknown; r?: unknown; d?: unknown };
    if (typeof entry.p === 'number') {
      try {
        const record = validateInput(recordMessageSchema, entry.r);
        if (record.idempotencyKey === undefined) throw new Error('no idempotency key');
        live.set(entry.p, record);
      } catch {
        unreadable += 1;
      }
    } else if (Array.isArray(entry.d)) {
      for (const id of entry.d) live.delete(id as number);
    } else {
      unreadable += 1;
    }
  }
  return { records: [...live.values()], unreadable };
}
