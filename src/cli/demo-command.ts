import type { Command } from 'commander';
import type { DemoModel } from '../demo/ai-sdk-session.js';
import { DEMO_DATA_DIR } from '../demo/demo-data-dir.js';
import { TurnPrinter } from '../demo/turn-printer.js';
import { parseMilliseconds } from './cli-values.js';

interface DemoFlags {
  dataDir?: string;
  reset?: boolean;
  scripted?: boolean;
  extractionTimeout?: number;
}

const DEFAULT_MODEL = 'gpt-4o-mini';

/** `foresight demo`: an embedded server and two agent sessions, printed turn by turn. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      "Run an embedded context server, seed a user's earlier conversations, then an AI SDK " +
        'and a LangChain agent session that call book_flight, printing what is recorded, each ' +
        'tool_call event, the bundle pushed back and the context injected into the next model call.',
    )
    .option(
      '--data-dir <dir>',
      `PGlite directory of the sessions (default ${DEMO_DATA_DIR}); the history is kept beside it in <dir>-history`,
    )
    .option('--reset', 'delete the data directory first and start from an empty store')
    .option('--scripted', 'use the scripted models even when OPENAI_API_KEY is set')
    .option(
      '--extraction-timeout <ms>',
      'bound of the wait for the seeded history to become memories (default 20000)',
      parseMilliseconds,
    )
    .addHelpText(
      'after',
      `
Models: without OPENAI_API_KEY (or with --scripted) both sessions run on scripted models
(ai/test MockLanguageModelV4 for the AI SDK, LangChain's fakeModel), and the demo says so.
With OPENAI_API_KEY set, the AI SDK session uses @ai-sdk/openai with the model in
FORESIGHT_DEMO_MODEL (default ${DEFAULT_MODEL}); the LangChain session stays scripted.

Data: the seeded history is kept in <data-dir>-history and reused: its turns carry
idempotency keys, so a second run says "already recorded" and finds the memories of the
first. The sessions run on a fresh copy of it in --data-dir, so a run never feeds the
next. --reset starts from an empty history. The demo starts its own servers on free
ports and must be the only process using the directories.

Afterwards: inspect --user alice (npm run foresight -- inspect in this repository, npx
foresight inspect in an application); it reads ${DEMO_DATA_DIR} by default (add
--data-dir <dir> when the demo used another directory).

Exit codes: 0 done; 1 failure, including a run where no model call received context pushed
after a tool_call; 2 bad usage.`,
    )
    .action(async (flags: DemoFlags) => {
      const { runDemo } = await loadDemo();
      const printer = new TurnPrinter();
      const model = await demoModel(flags.scripted === true);
      await runDemo({
        printer,
        dataDir: flags.dataDir ?? DEMO_DATA_DIR,
        reset: flags.reset === true,
        model,
        // Run from source (tsx) means this repository, where the bin is not installed.
        cliName: import.meta.url.endsWith('.ts') ? 'npm run foresight --' : 'npx foresight',
        ...(flags.extractionTimeout !== undefined
          ? { extractionTimeoutMs: flags.extractionTimeout }
          : {}),
      });
    });
}

/** The AI SDK session's model: OpenAI when a key is set (loaded only then), else scripted. */
async function demoModel(scripted: boolean): Promise<DemoModel> {
  const apiKey = process.env.OPENAI_API_KEY;
  if (scripted || !apiKey) return { name: 'scripted' };
  const { createOpenAI } = await import('@ai-sdk/openai');
  const modelId = process.env.FORESIGHT_DEMO_MODEL || DEFAULT_MODEL;
  return { name: modelId, model: createOpenAI({ apiKey })(modelId) };
}

/**
 * The demo, loaded only when it runs: it needs the AI SDK and LangChain, optional peers
 * that `foresight serve` and the other commands never load.
 */
async function loadDemo(): Promise<typeof import('../demo/demo-run.js')> {
  try {
    return await import('../demo/demo-run.js');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(
      'foresight demo needs the optional peer dependencies ai@7, langchain@1 and @langchain/core@1 ' +
        `(npm install ai langchain @langchain/core): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
