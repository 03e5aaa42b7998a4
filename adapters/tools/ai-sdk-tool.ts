import { observeOutcome, startToolRun, type ToolReporting } from './tool-run.js';

/**
 * An AI SDK tool as read here (`ai@7` and `ai@6` `tool()` objects): its `execute`, when
 * it has one, and its optional `title`. Kept structural so `foresight/tools` never loads `ai`.
 */
export interface AiSdkToolLike {
  execute?: ((input: never, options: never) => unknown) | undefined;
  inputSchema?: unknown;
  title?: string | undefined;
}

/** The second argument of `execute`, as read here; passed on untouched. */
interface ExecuteOptions {
  toolCallId?: unknown;
}

type Execute = (input: unknown, options: ExecuteOptions, ...rest: unknown[]) => unknown;

/**
 * A copy of the tool (same prototype, every own property and descriptor) whose `execute`
 * reports the call and its outcome; a tool without `execute` (provider-executed, or run
 * by the client) is answered as is.
 */
export function wrapAiSdkTool<T extends AiSdkToolLike>(tool: T, reporting: ToolReporting): T {
  if (typeof tool.execute !== 'function') return tool;
  const execute = tool.execute as Execute;
  function reportingExecute(
    this: unknown,
    input: unknown,
    options: ExecuteOptions,
    ...rest: unknown[]
  ) {
    const toolCallId =
      typeof options?.toolCallId === 'string' && options.toolCallId !== ''
        ? options.toolCallId
        : reporting.tracker.guard(reporting.newToolCallId, '');
    const end = startToolRun(reporting, { toolCallId, args: input });
    // `this` and every argument as the caller gave them: the tool sees the same call.
    return observeOutcome(() => execute.call(this, input, options, ...rest), end, {
      iterables: true,
    });
  }
  const descriptors: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(tool);
  // Replaced in the map, not defined afterwards: the key keeps its place, and a frozen
  // tool's non-configurable `execute` cannot refuse it.
  descriptors.execute = {
    value: reportingExecute,
    writable: true,
    enumerable: descriptors.execute?.enumerable ?? true,
    configurable: true,
  };
  return Object.create(Object.getPrototypeOf(tool), descriptors) as T;
}
