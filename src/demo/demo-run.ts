import { cpSync, rmSync } from 'node:fs';
import { pino } from 'pino';
import { createClient, type ForesightClient } from '../client/create-client.js';
import { createServer, DEFAULT_CLIENT_ID, type ForesightServer } from '../server/create-server.js';
import { type DemoModel, runAiSdkSession } from './ai-sdk-session.js';
import { BundleArrivals } from './bundle-arrivals.js';
import { DEMO_DATA_DIR } from './demo-data-dir.js';
import { DEMO_USER_ID } from './demo-script.js';
import { runLangChainSession } from './langchain-session.js';
import { seedHistory, waitForMemories } from './seed-history.js';
import {
  callsAfterToolCalls,
  callsAnticipatedFromToolCalls,
  type SessionTrace,
} from './session-trace.js';
import type { TurnPrinter } from './turn-printer.js';

export { DEMO_DATA_DIR };

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** PGlite directory, reused across runs. Default {@link DEMO_DATA_DIR}. */
  dataDir?: string;
  /** Delete `dataDir` first. Default false. */
  reset?: boolean;
  /** The AI SDK session's model. Default: scripted. */
  model?: DemoModel;
  /** Bound of the wait for extraction to turn the seeded history into memories, ms. Default 20 000. */
  extractionTimeoutMs?: number;
  /**
   * How long a model call may wait for a bundle still in flight, ms. Default 2000 (the
   * library's default too), so a loaded machine still shows the flow; the output says when
   * a call had to wait at all.
   */
  awaitContextMs?: number;
  printer: TurnPrinter;
  /**
   * How the closing hint spells the CLI: `npm run foresight --` in this repository,
   * `npx foresight` (the default) in an application that installed the package.
   */
  cliName?: string;
}

/** What the demo did: one trace per agent session. */
export interface DemoResult {
  sessions: SessionTrace[];
}

/** Thrown when a session never showed context anticipated from a tool call. */
export class DemoCheckError extends Error {
  override readonly name = 'DemoCheckError';
}

/**
 * `foresight demo`: an embedded server in `dataDir`, a key of its own (revoked at the
 * end), Alice's earlier conversations seeded through the client, then an AI SDK session
 * and a LangChain session that each call `book_flight` and get the context the service
 * pushed for that tool call. Everything is closed before it resolves or throws.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { printer } = options;
  const dataDir = options.dataDir ?? DEMO_DATA_DIR;
  const historyDir = historyDirOf(dataDir);
  if (options.reset) {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(historyDir, { recursive: true, force: true });
  }
  const model = options.model ?? { name: 'scripted' };
  const awaitContextMs = options.awaitContextMs ?? 2000;

  printer.title('Foresight demo: anticipatory context for an agent that books flights');
  if (model.model === undefined) {
    printer.warn(
      'No OPENAI_API_KEY: both sessions run on scripted models (ai/test MockLanguageModelV4, ' +
        "LangChain's fakeModel). The server, store, extraction, events and bundles are real.",
    );
  } else {
    printer.note(
      `AI SDK session model: ${model.name} (OpenAI); the LangChain session stays scripted.`,
    );
  }

  printer.section(`${DEMO_USER_ID}'s earlier conversations (recorded through the client)`);
  await withDemoServer(historyDir, printer, async (server, client) => {
    const seeded = await seedHistory(client, server.store, DEFAULT_CLIENT_ID, printer);
    const memories = await printer.step(
      'Waiting for extraction to turn them into memories',
      () =>
        waitForMemories(
          server.store,
          DEFAULT_CLIENT_ID,
          seeded,
          options.extractionTimeoutMs ?? 20_000,
        ),
      (found) => `${found.length} memories for ${DEMO_USER_ID}`,
    );
    for (const memory of memories) {
      printer.line(`  ${memory.memoryType.padEnd(16)}${JSON.stringify(memory.content)}`);
    }
  });
  // The sessions run on a copy: what they record never reaches the next run's history.
  rmSync(dataDir, { recursive: true, force: true });
  cpSync(historyDir, dataDir, { recursive: true });
  printer.note(
    `The agent sessions run on a copy of that store (${dataDir}), made anew each run, so ` +
      'what they record does not change what the next run shows.',
  );

  return withDemoServer(dataDir, printer, async (_server, client, arrivals) => {
    const runTag = Date.now().toString(36);
    const common = { client, arrivals, printer, userId: DEMO_USER_ID, awaitContextMs };
    printer.section(`AI SDK: generateText + foresightMiddleware (model: ${model.name})`);
    const aiSdk = await runAiSdkSession({
      ...common,
      model,
      threadId: `demo-ai-sdk-${runTag}`,
    }).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`the AI SDK session (model ${model.name}) failed: ${reason}`, {
        cause: error,
      });
    });
    printer.section('LangChain: createAgent + foresightMiddleware (model: scripted fakeModel)');
    const langChain = await runLangChainSession({
      ...common,
      threadId: `demo-langchain-${runTag}`,
    });
    const sessions = [aiSdk, langChain];

    printer.section('Result');
    const missing = sessions.filter(
      (session) => callsAnticipatedFromToolCalls(session).length === 0,
    );
    for (const session of sessions) {
      const anticipated = callsAnticipatedFromToolCalls(session).length;
      const possible = callsAfterToolCalls(session).length;
      printer.line(
        `  ${session.framework}: ${anticipated} of ${possible} model call${possible === 1 ? '' : 's'} after a tool call got the context anticipated for it` +
          (anticipated === possible && possible > 0
            ? ` (all of them; the first call, before any tool call, had the user turn's)`
            : ''),
      );
    }
    if (missing.length > 0) {
      throw new DemoCheckError(
        `no model call of the ${missing.map((session) => session.framework).join(' and ')} session ` +
          'received context from a bundle pushed after a tool_call (did the model call book_flight, ' +
          'and did the bundle arrive within the wait?)',
      );
    }
    printer.line();
    // inspect reads the demo's directory by default.
    const where = dataDir === DEMO_DATA_DIR ? '' : ` --data-dir ${dataDir}`;
    printer.line(
      `Inspect what was stored: ${options.cliName ?? 'npx foresight'} inspect --user ${DEMO_USER_ID}${where}`,
    );
    return { sessions };
  });
}

/** Where the seeded history lives: beside `dataDir`, kept across runs. */
export function historyDirOf(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, '')}-history`;
}

/**
 * A context server on `dataDir` with a client listening on it (a key of its own, revoked
 * at the end), for the time of `work`. Everything is closed before it resolves or throws.
 */
async function withDemoServer<T>(
  dataDir: string,
  printer: TurnPrinter,
  work: (server: ForesightServer, client: ForesightClient, arrivals: BundleArrivals) => Promise<T>,
): Promise<T> {
  const server = await printer.step(
    `Starting the context server (embedded store in ${dataDir})`,
    () =>
      createServer({
        port: 0,
        grpcPort: 0,
        dataDir,
        logger: pino({ level: process.env.FORESIGHT_LOG_LEVEL || 'warn' }, pino.destination(2)),
      }),
    (started) => `Context server on ${started.restUrl} (gRPC ${started.grpcTarget})`,
  );
  const arrivals = new BundleArrivals();
  let keyId: string | undefined;
  let client: ForesightClient | undefined;
  try {
    const created = await server.apiKeys.create({
      clientId: DEFAULT_CLIENT_ID,
      name: 'foresight demo',
    });
    keyId = created.record.id;
    client = createClient({
      url: server.restUrl,
      grpcTarget: server.grpcTarget,
      apiKey: created.key,
      env: {},
      logger: { warn: (_details, message) => printer.warn(message) },
    });
    await client.instance.listen({ onBundle: arrivals.arrived });
    return await work(server, client, arrivals);
  } finally {
    await client?.close();
    if (keyId !== undefined) await server.apiKeys.revoke(keyId);
    await server.close({ graceMs: 2000 });
  }
}
