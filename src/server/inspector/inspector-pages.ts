import { MEMORY_TYPES } from '../../protocol/index.js';
import type {
  ConversationRecord,
  MemoryRecord,
  MessageRecord,
  PagedMemory,
} from '../../store/index.js';
import { formatContext } from '../../tracker/index.js';
import type { BundleView, TimelineEntry } from './conversation-timeline.js';
import { type Html, html } from './html.js';

// The inspector's pages: plain server-rendered HTML, no script. Every value goes through
// the `html` template's escaping; links carry ids and cursors, never a key.

export function layout(options: { title: string; body: Html; clientId?: string }): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${options.title} · Foresight inspector</title><link rel="stylesheet" href="/inspect/style.css"></head>
<body><header><a href="/inspect">Foresight inspector</a>${
    options.clientId
      ? html`<span class="muted">client ${options.clientId}</span>
<form class="inline" method="get" action="/inspect/users"><input type="text" name="user" placeholder="user id" aria-label="user id"> <button>Memories</button></form>
<form class="inline" method="post" action="/inspect/logout"><button>Sign out</button></form>`
      : ''
  }</header>
<main>${options.body}</main></body></html>`.text;
}

export function loginPage(error?: string): Html {
  return html`<h1>Sign in</h1>
<p>Paste an API key. The inspector shows that key's client only; the key is checked once and
not kept in the browser (a signed session cookie is).</p>
${error ? html`<p class="error">${error}</p>` : ''}
<form method="post" action="/inspect/login">
<input type="password" name="api_key" autocomplete="off" placeholder="fsk_..." aria-label="API key" required>
<button type="submit">Sign in</button></form>`;
}

export function notFoundPage(what: string): Html {
  return html`<h1>Not found</h1><p>No such ${what} for this client.</p>`;
}

export function conversationsPage(
  conversations: ConversationRecord[],
  next: string | undefined,
): Html {
  return html`<h1>Conversations</h1>
<table><thead><tr><th>conversation</th><th>user</th><th>turns</th><th>updated</th></tr></thead><tbody>
${conversations.map(
  (conversation) => html`<tr>
<td><a href="/inspect/conversations/${conversation.id}">${conversation.id}</a></td>
<td><a href="/inspect/users/${encodeURIComponent(conversation.userId)}">${conversation.userId}</a>${
    conversation.customerId ? html` <span class="muted">(${conversation.customerId})</span>` : ''
  }</td>
<td>${conversation.messageCount}</td><td>${time(conversation.updatedAt)}</td></tr>`,
)}
</tbody></table>
${conversations.length === 0 ? html`<p class="muted">No conversations yet.</p>` : ''}
${pager(next ? `/inspect?before=${encodeURIComponent(next)}` : undefined)}`;
}

export function conversationPage(
  conversation: ConversationRecord,
  entries: TimelineEntry[],
  next: string | undefined,
): Html {
  return html`<h1>Conversation <code>${conversation.id}</code></h1>
<p>User <a href="/inspect/users/${encodeURIComponent(conversation.userId)}">${conversation.userId}</a>
· ${conversation.messageCount} turns · started ${time(conversation.createdAt)}</p>
${entries.map(timelineEntry)}
${entries.length === 0 ? html`<p class="muted">Nothing recorded on this page.</p>` : ''}
${pager(next ? `/inspect/conversations/${conversation.id}?after=${encodeURIComponent(next)}` : undefined)}`;
}

function timelineEntry(entry: TimelineEntry): Html {
  switch (entry.kind) {
    case 'turn':
      return html`<div class="entry turn"><span class="tag">turn</span><b>${entry.message.role}</b>
<span class="muted">${time(entry.at)}</span><div>${entry.message.content}</div></div>`;
    case 'model-call': {
      const injected = entry.call.injected;
      const decoded = injected?.decode();
      const block = decoded ? formatContext(decoded) : '';
      return html`<div class="entry model-call"><span class="tag">model call</span>
<span class="muted">read its context at ${time(entry.call.at)}</span>
${
  injected
    ? html`<details class="injected" open><summary>Injected: bundle <code>${injected.record.id}</code>${
        injected.record.inReplyToEventId
          ? html` (answering event <code>${injected.record.inReplyToEventId}</code>)`
          : ''
      }</summary>
<pre class="injected-block">${block || '(the bundle had no items to inject)'}</pre></details>`
    : html`<div class="muted">No bundle had arrived: nothing injected.</div>`
}
<div class="muted">Inferred from the event order (the adapters do not report context_used yet).</div></div>`;
    }
    case 'event':
      return eventEntry(entry);
  }
}

function eventEntry(entry: Extract<TimelineEntry, { kind: 'event' }>): Html {
  const { event, bundle } = entry;
  const head = html`<span class="tag">event</span><b>${event.eventType}</b>${
    event.toolName ? html` <code>${event.toolName}</code>` : ''
  } <span class="muted">${time(entry.at)}</span>`;
  const body = html`${event.content ? html`<div>${event.content}</div>` : ''}
${
  event.toolArgs !== null && event.toolArgs !== undefined
    ? html`<div>arguments:</div><pre class="tool-args">${JSON.stringify(event.toolArgs, null, 2)}</pre>`
    : ''
}
${bundle ? bundleView(bundle, entry) : html`<div class="muted">No bundle for this event.</div>`}`;
  // A tool call opens on demand: its arguments and its bundle are the detail.
  return event.eventType === 'tool_call'
    ? html`<details class="entry event tool-call"><summary>${head}</summary>${body}</details>`
    : html`<div class="entry event">${head}${body}</div>`;
}

function bundleView(bundle: BundleView, entry: Extract<TimelineEntry, { kind: 'event' }>): Html {
  const timing = html`<span class="tag">${entry.latencyMs ?? '?'} ms event → bundle</span><span class="tag">retrieval ${bundle.record.retrievalMs} ms</span>${
    entry.beforeNextCall === undefined
      ? ''
      : entry.beforeNextCall
        ? html`<span class="tag ok">before the next model call</span>`
        : html`<span class="tag late">after the next model call</span>`
  }`;
  const decoded = bundle.summary;
  if (!decoded)
    return html`<div class="bundle">Bundle <code>${bundle.record.id}</code> ${timing} <span class="muted">(payload unreadable)</span></div>`;
  const types = MEMORY_TYPES.filter((type) => (decoded.itemsByType[type]?.length ?? 0) > 0);
  return html`<div class="bundle"><div>Bundle <code>${bundle.record.id}</code> ${timing}
<span class="muted">${decoded.totalTokens} tokens</span></div>
${types.length === 0 ? html`<div class="muted">No items.</div>` : ''}
${types.map(
  (
    type,
  ) => html`<div class="items"><b>${type}</b><table><thead><tr><th>item</th><th>relevance</th><th>similarity</th><th>confidence</th><th>scope</th></tr></thead><tbody>
${(decoded.itemsByType[type] ?? []).map(
  (item) =>
    html`<tr class="bundle-item"><td>${item.content}</td><td>${score(item.relevanceScore)}</td><td>${score(
      item.similarityScore,
    )}</td><td>${score(item.confidence)}</td><td>${item.scope}</td></tr>`,
)}</tbody></table></div>`,
)}</div>`;
}

export function userMemoriesPage(
  userId: string,
  memories: PagedMemory[],
  next: number | undefined,
  now: Date,
): Html {
  return html`<h1>Memories of <code>${userId}</code></h1>
<table><thead><tr><th>memory</th><th>type</th><th>scope</th><th>confidence</th><th>created</th><th>validity</th></tr></thead><tbody>
${memories.map(
  ({ memory }) => html`<tr><td><a href="/inspect/memories/${memory.id}">${memory.content}</a></td>
<td>${memory.memoryType}</td><td>${memory.scope}</td><td>${score(memory.confidence)}</td><td>${time(memory.createdAt)}</td>
<td>${validity(memory, now)}</td></tr>`,
)}
</tbody></table>
${memories.length === 0 ? html`<p class="muted">No memories.</p>` : ''}
${pager(next !== undefined ? `/inspect/users/${encodeURIComponent(userId)}?before=${next}` : undefined)}`;
}

export function memoryChainPage(
  focusId: string,
  chain: MemoryRecord[],
  sources: Map<string, MessageRecord>,
  now: Date,
): Html {
  const focus = chain.find((memory) => memory.id === focusId);
  return html`<h1>Memory</h1>
<p>${focus ? html`<a href="/inspect/users/${encodeURIComponent(focus.userId)}">All memories of ${focus.userId}</a>` : ''}</p>
<h2>Supersession chain, oldest first</h2>
${chain.map((memory) => {
  const replacedBy = chain.find((other) => other.id === memory.supersededBy);
  const source = memory.sourceMessageIds
    .map((id) => sources.get(id))
    .find((message) => message !== undefined);
  return html`<div id="m-${memory.id}" class="entry ${memory.id === focusId ? 'highlight' : ''}">
<div>${validity(memory, now)} <span class="tag">${memory.memoryType}</span> <b class="memory-content">${memory.content}</b></div>
<div class="muted">created ${time(memory.createdAt)} · confidence ${score(memory.confidence)} · scope ${memory.scope}${
    memory.validUntil ? html` · valid until ${time(memory.validUntil)}` : ''
  }</div>
${
  source
    ? html`<div>from message: “${source.content}” (${source.role}, ${time(source.recordedAt)}, <a href="/inspect/conversations/${source.conversationId}">conversation</a>)</div>`
    : ''
}
${
  memory.supersededBy
    ? html`<div><a class="replaced-by" href="/inspect/memories/${memory.supersededBy}">replaced by →</a>${
        replacedBy ? html` on ${time(replacedBy.createdAt)}` : ''
      }</div>`
    : ''
}</div>`;
})}`;
}

function validity(memory: MemoryRecord, now: Date): Html {
  if (memory.supersededBy) return html`<span class="tag superseded">superseded</span>`;
  if (memory.validUntil && memory.validUntil.getTime() <= now.getTime())
    return html`<span class="tag expired">expired</span>`;
  return html`<span class="tag current">current</span>`;
}

function pager(next: string | undefined): Html {
  return html`<div class="pager">${next ? html`<a href="${next}">Next page →</a>` : ''}</div>`;
}

function time(date: Date): string {
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

function score(value: number): string {
  return value.toFixed(2);
}
