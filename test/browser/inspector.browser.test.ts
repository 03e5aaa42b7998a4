import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ai from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { foresightMiddleware } from '../../adapters/ai-sdk/index.js';
import { conversationIdFrom, createClient, type ForesightClient } from '../../src/index.js';
import { memory } from '../support/memories.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The inspector in a real headless browser: Debian's `chromium` package, driven by
 * playwright-core (which downloads nothing). `.ci/run` installs the package; where it is
 * missing (no apt), the test is skipped and says so. `FORESIGHT_CHROMIUM` points at
 * another binary; `FORESIGHT_SCREENSHOTS_DIR` saves the views (docs/ keeps them).
 */
const CHROMIUM = [process.env.FORESIGHT_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  .filter((path): path is string => Boolean(path))
  .find((path) => existsSync(path));
const SCREENSHOTS = process.env.FORESIGHT_SCREENSHOTS_DIR;

if (!CHROMIUM) {
  process.stderr.write(
    'inspector browser test skipped: no chromium (apt-get install -y chromium, or set FORESIGHT_CHROMIUM)\n',
  );
}

const USAGE = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};
const THREAD = 'trip-to-lisbon';

let env: TestServer;
let client: ForesightClient;
let browser: Browser;
/** The system prompt of each model call, as the model received it. */
const systems: string[] = [];

beforeAll(async () => {
  if (!CHROMIUM) return;
  env = await startTestServer('pglite', { inspector: true });
  const store = env.server.store;
  await store.insertMemories(env.tenant.clientId, [
    memory({ content: 'Alice lives in Porto.', subjectKey: 'home_city' }),
  ]);
  await store.insertMemories(env.tenant.clientId, [
    memory({ content: 'Alice lives in Lisbon.', subjectKey: 'home_city' }),
    memory({
      content: 'Alice always books an aisle seat on flights to Lisbon.',
      memoryType: 'preferences',
    }),
  ]);
  client = createClient({
    url: env.server.restUrl,
    grpcTarget: env.server.grpcTarget,
    apiKey: env.tenant.key,
    env: {},
  });
  await client.instance.listen();
  await runToolLoop();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await client?.close();
  await env?.close();
});

/** One generateText tool loop through the AI SDK adapter: book_flight, then the answer. */
async function runToolLoop(): Promise<void> {
  const model = new MockLanguageModelV4({
    doGenerate: async (options) => {
      const system = options.prompt.find((message) => message.role === 'system');
      systems.push(typeof system?.content === 'string' ? system.content : '');
      const afterTool = options.prompt.at(-1)?.role === 'tool';
      return {
        content: afterTool
          ? [{ type: 'text' as const, text: 'Booked: aisle seat to Lisbon.' }]
          : [
              {
                type: 'tool-call' as const,
                toolCallId: 'call-1',
                toolName: 'book_flight',
                input: JSON.stringify({ destination: 'Lisbon', seat: 'aisle' }),
              },
            ],
        finishReason: {
          unified: afterTool ? ('stop' as const) : ('tool-calls' as const),
          raw: undefined,
        },
        usage: USAGE,
        warnings: [],
      };
    },
  });
  const middleware = foresightMiddleware(client, { awaitContextMs: 5_000 });
  await ai.generateText({
    model: ai.wrapLanguageModel({ model, middleware }),
    system: 'You are a travel agent.',
    prompt: 'Book me a flight to Lisbon.',
    tools: {
      book_flight: ai.tool({
        inputSchema: z.object({ destination: z.string(), seat: z.string() }),
        execute: async () => ({ booked: true }),
      }),
    },
    stopWhen: ai.stepCountIs(2),
    providerOptions: { foresight: { threadId: THREAD, userId: 'alice' } },
  });
  await middleware.tracker.flush();
  // Event rows are written behind their bundles: wait until the tool result's is there.
  const conversationId = conversationIdFrom(THREAD);
  await vi.waitFor(
    async () => {
      const page = await env.server.store.inspector.conversationPage(
        env.tenant.clientId,
        conversationId,
        { limit: 50 },
      );
      expect(page.events.map((event) => event.eventType)).toContain('tool_result');
    },
    { timeout: 20_000, interval: 50 },
  );
}

async function snap(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, name) });
}

describe.skipIf(!CHROMIUM)('the inspector in a headless browser', { timeout: 120_000 }, () => {
  it('finds the conversation, opens the tool call, shows its bundle and the injected block, follows a superseded memory', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 820 } });
    const page = await context.newPage();
    await page.goto(`${env.server.restUrl}/inspect`);
    // No session yet: the login form.
    expect(new URL(page.url()).pathname).toBe('/inspect/login');
    await page.fill('input[name=api_key]', env.tenant.key);
    await Promise.all([page.waitForURL('**/inspect'), page.click('button[type=submit]')]);
    const cookies = await context.cookies();
    expect(cookies).toEqual([
      expect.objectContaining({ name: 'foresight_inspector', httpOnly: true, sameSite: 'Strict' }),
    ]);

    // The conversation list names the conversation the tool loop recorded.
    const conversationId = conversationIdFrom(THREAD);
    await snap(page, 'inspector-conversations.png');
    await Promise.all([
      page.waitForURL(`**/inspect/conversations/${conversationId}`),
      page.click(`a:has-text("${conversationId}")`),
    ]);

    // The tool call opens to its arguments and the bundle it produced.
    const toolCall = page.locator('details.tool-call').first();
    await toolCall.locator('summary').click();
    await expect.poll(() => toolCall.getAttribute('open')).not.toBeNull();
    const args = JSON.parse((await toolCall.locator('pre.tool-args').textContent()) ?? '');
    expect(args).toEqual({ destination: 'Lisbon', seat: 'aisle' });
    const items = await toolCall.locator('tr.bundle-item td:first-child').allTextContents();
    expect(items).toContain('Alice always books an aisle seat on flights to Lisbon.');
    expect(await toolCall.locator('.tag.ok').textContent()).toBe('before the next model call');

    // The second model call's injected block is the one the model really received.
    const blocks = await page.locator('pre.injected-block').allTextContents();
    const received = systems[1] ?? '';
    expect(received).toContain('Alice always books an aisle seat on flights to Lisbon.');
    expect(blocks.some((block) => block.length > 0 && received.includes(block))).toBe(true);
    await toolCall.scrollIntoViewIfNeeded();
    await snap(page, 'inspector-conversation.png');

    // The user's memories: the superseded one leads to its replacement.
    await Promise.all([
      page.waitForURL('**/inspect/users/alice'),
      page.click('a:has-text("alice")'),
    ]);
    await snap(page, 'inspector-memories.png');
    await Promise.all([
      page.waitForURL('**/inspect/memories/*'),
      page.click('a:has-text("Alice lives in Porto.")'),
    ]);
    const portoUrl = page.url();
    await Promise.all([
      page.waitForURL((url) => url.href !== portoUrl),
      page.click('a.replaced-by'),
    ]);
    expect(await page.locator('.entry.highlight .memory-content').textContent()).toBe(
      'Alice lives in Lisbon.',
    );
    expect(await page.locator('.entry.highlight .tag.current').count()).toBe(1);
    await snap(page, 'inspector-supersession.png');
    await context.close();
  });
});
