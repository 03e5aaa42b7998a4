import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, type ForesightClient } from '../../../src/index.js';
import { memory } from '../../support/memories.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

let env: TestServer;
let client: ForesightClient;
let base: string;
const conversationId = '7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** A browser's request: no bearer key, maybe a cookie; redirects left to the test. */
async function browse(path: string, init: { cookie?: string; form?: Record<string, string> } = {}) {
  const response = await fetch(`${base}${path}`, {
    method: init.form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

async function signIn(key: string): Promise<string> {
  const login = await browse('/inspect/login', { form: { api_key: key } });
  expect(login.status).toBe(303);
  const setCookie = login.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0] as string;
}

beforeAll(async () => {
  env = await startTestServer('pglite', { inspector: true });
  base = env.server.restUrl;
  client = createClient({ url: base, grpcTarget: env.server.grpcTarget, apiKey: env.tenant.key });
  const [old] = await env.server.store.insertMemories(env.tenant.clientId, [
    memory({ content: 'Alice lives in Porto.', subjectKey: 'home_city' }),
  ]);
  await env.server.store.insertMemories(env.tenant.clientId, [
    memory({ content: 'Alice lives in Lisbon.', subjectKey: 'home_city' }),
    memory({ content: 'Alice prefers an aisle seat on flights.', memoryType: 'preferences' }),
  ]);
  expect(old).toBeDefined();
  await client.conversation.recordMessage({
    conversationId,
    userId: 'alice',
    role: 'user',
    content: 'Book me a flight to Lisbon.',
  });
  await client.instance.listen();
  const eventId = await client.instance.sendMessage({
    eventType: 'tool_call',
    conversationId,
    userId: 'alice',
    toolName: 'book_flight',
    toolArgs: { destination: 'Lisbon', seat: 'aisle' },
  });
  const answer = await client.context.waitFor({
    conversationId,
    afterEvent: eventId,
    timeoutMs: 10_000,
  });
  expect(answer.status).toBe('ready');
  // Someone else's conversation, on another key.
  const other = createClient({ url: base, apiKey: env.other.key });
  await other.conversation.recordMessage({
    conversationId: '0b0b0b0b-1c1c-4d2d-8e3e-4f4f4f4f4f4f',
    userId: 'mallory',
    role: 'user',
    content: 'Secret of another tenant.',
  });
  await other.close();
});
afterAll(async () => {
  await client?.close();
  await env?.close();
});

describe('the web inspector', () => {
  // A second server of its own: starting one takes long on a loaded machine.
  it('is off unless enabled', { timeout: 120_000 }, async () => {
    const plain = await startTestServer('pglite');
    try {
      const response = await fetch(`${plain.server.restUrl}/inspect/login`);
      expect(response.status).toBe(404);
      expect(plain.server.inspectorUrl).toBeUndefined();
    } finally {
      await plain.close();
    }
  });

  it('sends a browser without a session to the login page, and refuses a bad key', async () => {
    const page = await browse('/inspect');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/inspect/login');
    // A key in the query string is not a way in.
    const query = await browse(`/inspect?api_key=${encodeURIComponent(env.tenant.key)}`);
    expect(query.status).toBe(303);
    const bad = await browse('/inspect/login', { form: { api_key: 'fsk_nope' } });
    expect(bad.status).toBe(401);
    expect(bad.body).toContain('not valid');
    expect(bad.headers.get('set-cookie')).toBeNull();
    const crossSite = await fetch(`${base}/inspect/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        origin: 'https://elsewhere.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ api_key: env.tenant.key }).toString(),
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('set-cookie')).toBeNull();
    const missing = await browse('/inspect/login', { form: {} });
    expect(missing).toMatchObject({
      status: 400,
      body: expect.stringContaining('api_key: is required'),
    });
  });

  it('signs in with an HttpOnly, SameSite=Strict cookie that does not hold the key', async () => {
    const login = await browse('/inspect/login', { form: { api_key: env.tenant.key } });
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^foresight_inspector=[^;]+; HttpOnly; SameSite=Strict; Path=\/inspect;/,
    );
    // fsk_<id>_<secret>: the secret itself may hold '_'.
    const secret = env.tenant.key.slice('fsk_'.length + 13);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(setCookie).not.toContain(secret);
    expect(login.headers.get('location')).toBe('/inspect');
    const forged = await browse('/inspect', { cookie: `${setCookie.split(';')[0]}x` });
    expect(forged.status).toBe(303);
  });

  it("lists the key's client's conversations and never another tenant's", async () => {
    const cookie = await signIn(env.tenant.key);
    const page = await browse('/inspect', { cookie });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.body).toContain(conversationId);
    expect(page.body).not.toContain('mallory');
    const foreign = await browse('/inspect/conversations/0b0b0b0b-1c1c-4d2d-8e3e-4f4f4f4f4f4f', {
      cookie,
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body).not.toContain('Secret of another tenant');
    const theirs = await browse('/inspect/users/mallory', { cookie });
    expect(theirs.body).not.toContain('Secret');
  });

  it("shows a conversation's turns, the tool call with its arguments and the bundle it produced", async () => {
    const cookie = await signIn(env.tenant.key);
    // Event rows are written behind their bundles.
    const page = await vi.waitFor(
      async () => {
        const result = await browse(`/inspect/conversations/${conversationId}`, { cookie });
        expect(result.body).toContain('book_flight');
        return result;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(page.body).toContain('Book me a flight to Lisbon.');
    expect(page.body).toContain('&quot;destination&quot;: &quot;Lisbon&quot;');
    expect(page.body).toMatch(
      /class="bundle-item"><td>Alice (prefers an aisle seat|lives in Lisbon)/,
    );
    expect(page.body).toMatch(/\d+ ms event → bundle/);
  });

  it('shows a user’s memories with validity, and follows a superseded one to its replacement', async () => {
    const cookie = await signIn(env.tenant.key);
    const page = await browse('/inspect/users/alice', { cookie });
    expect(page.body).toContain('Alice lives in Porto.');
    expect(page.body).toContain('superseded');
    const porto = /href="\/inspect\/memories\/([0-9a-f-]{36})">Alice lives in Porto\./.exec(
      page.body,
    );
    expect(porto).not.toBeNull();
    const chain = await browse(`/inspect/memories/${porto?.[1]}`, { cookie });
    const replacedBy = /class="replaced-by" href="(\/inspect\/memories\/[0-9a-f-]{36})"/.exec(
      chain.body,
    );
    expect(replacedBy).not.toBeNull();
    const replacement = await browse(replacedBy?.[1] as string, { cookie });
    expect(replacement.body).toMatch(/class="entry highlight">[\s\S]*?Alice lives in Lisbon\./);
    expect(replacement.body.indexOf('Porto')).toBeLessThan(replacement.body.indexOf('Lisbon'));
  });

  it('ends the sessions of a revoked key', async () => {
    const { key, record } = await env.server.apiKeys.create({
      clientId: env.tenant.clientId,
      name: 'to revoke',
    });
    const cookie = await signIn(key);
    expect((await browse('/inspect', { cookie })).status).toBe(200);
    await env.server.apiKeys.revoke(record.id);
    expect((await browse('/inspect', { cookie })).status).toBe(303);
  });
});
