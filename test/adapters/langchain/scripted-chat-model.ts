import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, type ToolCall } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';

/** One scripted model step: text, or tool calls (ids and exact args as given). */
export type ScriptedStep = { text: string } | { toolCalls: ToolCall[] };

/**
 * A chat model that answers from a script, one step a call, and records the messages
 * each call received (so a test can read the system prompt the model saw). `bindTools`
 * answers the same model: the script decides what is called, not the tool list.
 */
export class ScriptedChatModel extends BaseChatModel {
  readonly seen: BaseMessage[][] = [];
  readonly #steps: ScriptedStep[];

  constructor(steps: ScriptedStep[]) {
    super({});
    this.#steps = [...steps];
  }

  _llmType(): string {
    return 'scripted';
  }

  override bindTools(): this {
    return this;
  }

  async _generate(
    messages: BaseMessage[],
    _options: this['ParsedCallOptions'],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    this.seen.push(messages);
    const step = this.#steps.shift() ?? { text: 'Done.' };
    const message =
      'text' in step
        ? new AIMessage({ content: step.text })
        : new AIMessage({ content: '', tool_calls: step.toolCalls });
    return { generations: [{ text: 'text' in step ? step.text : '', message }] };
  }
}
