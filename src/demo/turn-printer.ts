import type { Writable } from 'node:stream';
import picocolors from 'picocolors';
import yoctoSpinner from 'yocto-spinner';
import { MEMORY_TYPES } from '../protocol/memory-types.js';
import { CONTEXT_CLOSE_TAG, CONTEXT_OPEN_TAG } from '../tracker/index.js';
import type { TracedEvent, TracedModelCall } from './session-trace.js';

/** Options of {@link TurnPrinter}. */
export interface TurnPrinterOptions {
  /** Where the demo writes. Default `process.stdout`. */
  stream?: Writable & { isTTY?: boolean };
  /** Colours and a spinner. Default: when `stream` is a TTY (and NO_COLOR is unset). */
  fancy?: boolean;
}

/**
 * Prints the demo turn by turn: what was recorded, each event sent (a `tool_call` with its
 * arguments), each bundle pushed back (its items and latency), and the context block each
 * model call received. Colours and a spinner on a TTY; plain lines when piped, so the
 * output reads the same in a log or a test.
 */
export class TurnPrinter {
  readonly #stream: Writable;
  readonly #fancy: boolean;
  readonly #colors: ReturnType<typeof picocolors.createColors>;
  /** Each session's last context block: its next one prints as changes to it. */
  readonly #lastBlocks = new Map<string, { lines: string[]; label: string }>();
  /** Every block printed in full, and the call it came with: a repeat names that call. */
  readonly #printed = new Map<string, string>();

  constructor(options: TurnPrinterOptions = {}) {
    const stream = options.stream ?? process.stdout;
    this.#stream = stream;
    this.#fancy =
      options.fancy ??
      (Boolean((stream as { isTTY?: boolean }).isTTY) && picocolors.isColorSupported);
    this.#colors = picocolors.createColors(this.#fancy);
  }

  line(text = ''): void {
    this.#stream.write(`${text}\n`);
  }

  title(text: string): void {
    this.line(this.#colors.bold(this.#colors.cyan(text)));
  }

  section(text: string): void {
    this.line();
    this.line(this.#colors.bold(`== ${text} ==`));
  }

  note(text: string): void {
    this.line(this.#colors.dim(text));
  }

  warn(text: string): void {
    this.line(this.#colors.yellow(`! ${text}`));
  }

  /**
   * Runs `work` behind a spinner (TTY) or between two plain lines (piped), and prints
   * `done(value)` as its outcome; a failure prints the error and rethrows it.
   */
  async step<T>(text: string, work: () => Promise<T>, done: (value: T) => string): Promise<T> {
    const spinner = this.#fancy
      ? yoctoSpinner({ text, stream: this.#stream, handleSignals: false }).start()
      : undefined;
    if (!spinner) this.line(`... ${text}`);
    try {
      const value = await work();
      if (spinner) spinner.success(done(value));
      else this.line(`ok  ${done(value)}`);
      return value;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (spinner) spinner.error(`${text}: ${message}`);
      else this.line(`failed  ${text}: ${message}`);
      throw error;
    }
  }

  userTurn(content: string): void {
    this.line();
    this.line(`${this.#colors.bold('user')}  ${content}`);
  }

  recorded(role: string, content: string): void {
    this.line(`  ${this.#colors.green('recorded')}  ${role}: ${quote(content)}`);
  }

  /** A turn the store already held (its idempotency key matched): nothing was added. */
  alreadyRecorded(role: string, content: string): void {
    this.line(`  ${this.#colors.dim('already recorded')}  ${role}: ${quote(content)}`);
  }

  eventSent(event: TracedEvent): void {
    const tool =
      event.eventType === 'tool_call'
        ? ` ${event.toolName ?? ''} ${JSON.stringify(event.toolArgs ?? {})}`
        : event.eventType === 'tool_result'
          ? ` ${event.toolName ?? ''} ${quote(event.content ?? '')}`
          : '';
    this.line(`  ${this.#colors.magenta('event →')}   ${event.eventType}${tool}`);
  }

  /**
   * A bundle the service pushed. After the session's first bundle, only what changed is
   * listed: what anticipating this event found that the earlier bundle did not have.
   */
  bundlePushed(event: TracedEvent, earlier?: TracedEvent): void {
    const bundle = event.bundle;
    if (!bundle) return;
    const items = itemsOf(event);
    this.line(
      `  ${this.#colors.cyan('bundle ←')}  for ${describe(event)}: ` +
        `${items.length} item${items.length === 1 ? '' : 's'}, pushed ${event.latencyMs ?? '?'} ms after the event ` +
        `(server retrieval ${bundle.retrievalTimeMs} ms)`,
    );
    const before = earlier?.bundle ? new Set(itemsOf(earlier).map(itemKey)) : undefined;
    const shown = before ? items.filter((item) => !before.has(itemKey(item))) : items;
    if (earlier && before) {
      const kept = items.length - shown.length;
      this.line(
        `              ${this.#colors.dim(`${kept} already in the bundle for ${describe(earlier)}; new for ${describe(event)}:`)}`,
      );
      if (shown.length === 0) this.line(`              ${this.#colors.dim('(nothing new)')}`);
    }
    for (const { type, item } of shown) {
      this.line(
        `              ${type.padEnd(16)}${quote(item.content)}  ${this.#colors.dim(`relevance ${item.relevanceScore.toFixed(2)}`)}`,
      );
    }
  }

  /**
   * A model call and the context block in its system prompt. A block is printed in full
   * once; a later call shows how its block differs from the one printed before it, which
   * for the call after a tool call is exactly what anticipating the tool call added.
   */
  modelCall(call: TracedModelCall, framework = ''): void {
    const { context } = call;
    const origin = call.fromEvent
      ? `context from the bundle for ${describe(call.fromEvent)}`
      : context.bundleId
        ? 'context from an earlier bundle'
        : 'no context';
    const how =
      context.source === 'none'
        ? ''
        : context.anticipation === 'cached'
          ? ', already in the local cache when the call started (anticipated, no wait)'
          : context.source === 'waited'
            ? `, arrived after waiting ${context.waitedMs} ms`
            : ', read from the local cache';
    this.line(`  ${this.#colors.blue('model call')} ${call.index}: ${origin}${how}`);
    const block = contextBlockOf(call.systemPrompt);
    if (block === '') {
      this.line(`              ${this.#colors.dim('(no context block in the system prompt)')}`);
      return;
    }
    const lines = block.split('\n');
    const label = `${framework ? `${framework} ` : ''}model call ${call.index}`;
    const last = this.#lastBlocks.get(framework);
    this.#lastBlocks.set(framework, { lines, label });
    const printedWith = this.#printed.get(block);
    if (printedWith !== undefined) {
      this.line(`              ${this.#colors.dim(`context block: the same as ${printedWith}'s`)}`);
      return;
    }
    if (!last) {
      this.#printed.set(block, label);
      this.line(`              ${this.#colors.dim('context block in the system prompt:')}`);
      for (const text of lines) this.line(`              ${this.#colors.dim('│')} ${text}`);
      return;
    }
    const added = lines.filter((text) => !last.lines.includes(text));
    const removed = last.lines.filter((text) => !lines.includes(text));
    if (added.length === 0 && removed.length === 0) {
      this.line(`              ${this.#colors.dim(`context block: the same as ${last.label}'s`)}`);
      return;
    }
    const afterTool = call.fromEvent?.eventType === 'tool_call';
    this.line(
      `              ${this.#colors.dim(
        afterTool
          ? `context block: ${last.label}'s, and what anticipating ${describe(call.fromEvent as TracedEvent)} changed:`
          : `context block: ${last.label}'s, with these changes:`,
      )}`,
    );
    for (const text of added) this.line(`              ${this.#colors.green('+')} ${text}`);
    for (const text of removed) this.line(`              ${this.#colors.red('-')} ${text}`);
  }

  toolRequested(name: string, args: unknown): void {
    this.line(`  ${this.#colors.yellow('model →')}   tool_call ${name} ${JSON.stringify(args)}`);
  }

  toolRan(name: string, result: unknown): void {
    this.line(`  ${this.#colors.yellow('tool')}      ${name} → ${JSON.stringify(result)}`);
  }

  answer(text: string): void {
    this.line(`${this.#colors.bold('agent')} ${text}`);
  }
}

/** The `<foresight_context>` block of a system prompt, tags included, or ''. */
export function contextBlockOf(systemPrompt: string): string {
  const start = systemPrompt.indexOf(CONTEXT_OPEN_TAG);
  if (start === -1) return '';
  const end = systemPrompt.indexOf(CONTEXT_CLOSE_TAG, start);
  return systemPrompt.slice(start, end === -1 ? undefined : end + CONTEXT_CLOSE_TAG.length);
}

function describe(event: TracedEvent): string {
  return `${event.eventType}${event.toolName ? ` ${event.toolName}` : ''}`;
}

function itemsOf(event: TracedEvent) {
  const bundle = event.bundle;
  if (!bundle) return [];
  return MEMORY_TYPES.flatMap((type) =>
    (bundle.itemsByType[type] ?? []).map((item) => ({ type, item })),
  );
}

function itemKey({ type, item }: ReturnType<typeof itemsOf>[number]): string {
  return `${type}\u0000${item.content}`;
}

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 100 ? `${flat.slice(0, 99)}…` : flat);
}
