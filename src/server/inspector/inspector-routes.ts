import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Store } from '../../store/index.js';
import type { ApiKeys } from '../api-keys.js';
import { ServerError } from '../server-error.js';
import { buildTimeline } from './conversation-timeline.js';
import {
  conversationPage,
  conversationsPage,
  layout,
  loginPage,
  memoryChainPage,
  notFoundPage,
  userMemoriesPage,
} from './inspector-pages.js';
import { type InspectorSessions, readCookie, SESSION_COOKIE } from './inspector-session.js';
import { INSPECTOR_CSS } from './inspector-style.js';

export interface InspectorDependencies {
  store: Store;
  apiKeys: ApiKeys;
  sessions: InspectorSessions;
  /** Rows a page shows. Default 50 (timeline events: 200). */
  pageSize?: number;
  now?: () => Date;
}

/** Every inspector path starts with it; the REST app's bearer check leaves them alone. */
export const INSPECTOR_PREFIX = '/inspect';

// No script, no inline style, no framing, no form posting elsewhere; nothing cached.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  // same-origin, not no-referrer: with no-referrer a browser posts its forms with
  // `Origin: null`, and the sign-in form's origin check needs the real one.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

const loginForm = z.object({ api_key: z.string().min(1).max(512) });

/**
 * The read-only web inspector under `/inspect`: a tenant's conversations, one
 * conversation's timeline (turns, events, tool calls with arguments, the bundle each
 * event produced, what each model call had injected), a user's memories and a memory's
 * supersession chain. Signing in posts an API key once; the session cookie then names
 * the key's id (never the key), and every page reads only that key's client's rows.
 */
export function registerInspectorRoutes(app: FastifyInstance, deps: InspectorDependencies): void {
  const pageSize = deps.pageSize ?? 50;
  const now = deps.now ?? (() => new Date());

  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );
    scope.addHook('onSend', async (_request, reply) => {
      reply.headers(SECURITY_HEADERS);
    });

    scope.get(`${INSPECTOR_PREFIX}/style.css`, async (_request, reply) =>
      reply.type('text/css; charset=utf-8').send(INSPECTOR_CSS),
    );

    scope.get(`${INSPECTOR_PREFIX}/login`, async (_request, reply) =>
      sendPage(reply, 200, 'Sign in', loginPage()),
    );

    scope.post(`${INSPECTOR_PREFIX}/login`, async (request, reply) => {
      if (!sameOrigin(request))
        return sendPage(reply, 403, 'Sign in', loginPage('Sign in from this server’s own page.'));
      const form = loginForm.safeParse(request.body);
      if (!form.success) return sendPage(reply, 400, 'Sign in', loginPage('api_key: is required'));
      let keyId: string;
      try {
        keyId = (await deps.apiKeys.authenticate(form.data.api_key.trim())).keyId;
      } catch (error) {
        if (!(error instanceof ServerError)) throw error;
        return sendPage(reply, 401, 'Sign in', loginPage('That key is not valid (or revoked).'));
      }
      const secure = request.protocol === 'https' ? '; Secure' : '';
      reply.header(
        'set-cookie',
        `${SESSION_COOKIE}=${deps.sessions.issue(keyId)}; HttpOnly; SameSite=Strict; Path=${INSPECTOR_PREFIX}; Max-Age=${deps.sessions.maxAgeSeconds}${secure}`,
      );
      return reply.redirect(INSPECTOR_PREFIX, 303);
    });

    scope.post(`${INSPECTOR_PREFIX}/logout`, async (request, reply) => {
      if (!sameOrigin(request)) return reply.code(403).send();
      reply.header(
        'set-cookie',
        `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=${INSPECTOR_PREFIX}; Max-Age=0`,
      );
      return reply.redirect(`${INSPECTOR_PREFIX}/login`, 303);
    });

    scope.get(INSPECTOR_PREFIX, async (request, reply) => {
      const clientId = await signedIn(request, reply);
      if (!clientId) return reply;
      const before = cursor(request, 'before');
      const rows = await deps.store.inspector.conversations(clientId, {
        limit: pageSize + 1,
        ...(before ? { before: { updatedAt: before.at, id: before.id } } : {}),
      });
      const page = rows.slice(0, pageSize);
      const last = page.at(-1);
      const next =
        rows.length > pageSize && last ? `${last.updatedAt.toISOString()}~${last.id}` : undefined;
      return sendPage(reply, 200, 'Conversations', conversationsPage(page, next), clientId);
    });

    scope.get(`${INSPECTOR_PREFIX}/users`, async (request, reply) => {
      const clientId = await signedIn(request, reply);
      if (!clientId) return reply;
      const user = queryText(request, 'user');
      return reply.redirect(
        user ? `${INSPECTOR_PREFIX}/users/${encodeURIComponent(user)}` : INSPECTOR_PREFIX,
        303,
      );
    });

    scope.get<{ Params: { userId: string } }>(
      `${INSPECTOR_PREFIX}/users/:userId`,
      async (request, reply) => {
        const clientId = await signedIn(request, reply);
        if (!clientId) return reply;
        const { userId } = request.params;
        const before = Number(queryText(request, 'before'));
        const rows = await deps.store.inspector.userMemories(clientId, userId, {
          limit: pageSize + 1,
          ...(Number.isSafeInteger(before) && before > 0 ? { beforeSeq: before } : {}),
        });
        const page = rows.slice(0, pageSize);
        const next = rows.length > pageSize ? page.at(-1)?.seq : undefined;
        return sendPage(
          reply,
          200,
          `Memories of ${userId}`,
          userMemoriesPage(userId, page, next, now()),
          clientId,
        );
      },
    );

    scope.get<{ Params: { conversationId: string } }>(
      `${INSPECTOR_PREFIX}/conversations/:conversationId`,
      async (request, reply) => {
        const clientId = await signedIn(request, reply);
        if (!clientId) return reply;
        const conversation = await deps.store.getConversation(
          clientId,
          request.params.conversationId,
        );
        if (!conversation) return notFound(reply, clientId, 'conversation');
        const after = cursor(request, 'after');
        const page = await deps.store.inspector.conversationPage(clientId, conversation.id, {
          limit: pageSize * 4,
          ...(after ? { after: { occurredAt: after.at, id: after.id } } : {}),
        });
        const next = page.next
          ? `${page.next.occurredAt.toISOString()}~${page.next.id}`
          : undefined;
        return sendPage(
          reply,
          200,
          'Conversation',
          conversationPage(conversation, buildTimeline(page), next),
          clientId,
        );
      },
    );

    scope.get<{ Params: { memoryId: string } }>(
      `${INSPECTOR_PREFIX}/memories/:memoryId`,
      async (request, reply) => {
        const clientId = await signedIn(request, reply);
        if (!clientId) return reply;
        const { memoryId } = request.params;
        const found = await deps.store.inspector.supersessionChain(clientId, memoryId);
        if (!found) return notFound(reply, clientId, 'memory');
        return sendPage(
          reply,
          200,
          'Memory',
          memoryChainPage(memoryId, found.chain, found.sources, now()),
          clientId,
        );
      },
    );
  });

  /** The session's client, or a redirect to the login page (then undefined). */
  async function signedIn(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<string | undefined> {
    const keyId = deps.sessions.verify(readCookie(request.headers.cookie, SESSION_COOKIE));
    // The key's row on every page: a revoked key's sessions end at once.
    const key = keyId ? await deps.store.getApiKey(keyId) : null;
    if (!key || key.revokedAt) {
      reply.redirect(`${INSPECTOR_PREFIX}/login`, 303);
      return undefined;
    }
    return key.clientId;
  }
}

function sendPage(
  reply: FastifyReply,
  status: number,
  title: string,
  body: Parameters<typeof layout>[0]['body'],
  clientId?: string,
): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(layout({ title, body, ...(clientId ? { clientId } : {}) }));
}

function notFound(reply: FastifyReply, clientId: string, what: string): FastifyReply {
  // The same answer whether the row is another tenant's or nobody's.
  return sendPage(reply, 404, 'Not found', notFoundPage(what), clientId);
}

/**
 * A form post from another site is refused (a page elsewhere cannot sign a browser in or
 * out); a request without `Origin` (not a browser's cross-site form) passes.
 */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function queryText(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A `<ISO time>~<id>` paging cursor; a malformed one is ignored (the first page). */
function cursor(request: FastifyRequest, name: string): { at: Date; id: string } | undefined {
  const value = queryText(request, name);
  const at = value?.indexOf('~') ?? -1;
  if (!value || at < 0) return undefined;
  const date = new Date(value.slice(0, at));
  return Number.isNaN(date.getTime()) ? undefined : { at: date, id: value.slice(at + 1) };
}
