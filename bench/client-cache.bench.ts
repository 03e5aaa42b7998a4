// The client's anticipation cache, which adapters read before every model call: the
// cost of `peek` (hit, user-level fallback, miss) over 1M calls, the cost of `put`, and
// the heap that 10k conversations of realistic ~10-item bundles hold, as the gRPC
// transport decodes them and as plain objects, against the cache's own byte estimate.
// Prints a table and writes bench/results/client-cache.json.
//
// Run: `npx tsx bench/client-cache.bench.ts` (or `npm run bench client-cache`). The heap
// figure needs a forced GC: with `NODE_OPTIONS=--expose-gc npx tsx bench/client-cache.bench.ts`
// the flag gives `globalThis.gc`; without it the bench turns the flag on at run time
// (v8.setFlagsFromString); if neither works it reports the cache's own byte estimate
// and says so in the notes.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AnticipationCache, type AnticipationCacheKey } from '../src/client/anticipation-cache.js';
import { ContextBundleProto } from '../src/gen/synap/v1/synap.js';
import { contextBundleFromProto, contextBundleToProto } from '../src/protocol/bundle-codec.js';
import type { ContextBundle, ContextItem } from '../src/protocol/context-bundle.js';
import { type BenchResult, formatTable, writeResults } from './support/bench-results.js';
import { benchMemory, benchUserId } from './support/memory-corpus.js';
import { SeededRandom } from './support/seeded-random.js';

const CONVERSATIONS = 10_000;
const USERS = 2_000;
const ITEMS_PER_BUNDLE = 10;
const TURNS_PER_BUNDLE = 4;
const CALLS = 1_000_000;
const RUNS = 5;
const WARMUP_CALLS = 200_000;
const RESULTS = new URL('./results/client-cache.json', import.meta.url).pathname;
const MIB = 1024 * 1024;

const random = new SeededRandom(42);
const gc = findGc();

function findGc(): { run: () => void; how: string } | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return { run: exposed, how: '--expose-gc' };
  try {
    setFlagsFromString('--expose-gc');
    const enabled: unknown = runInNewContext('gc');
    if (typeof enabled === 'function') {
      return { run: () => enabled(), how: 'v8.setFlagsFromString("--expose-gc")' };
    }
  } catch {
    // Fall through: the estimate is reported instead, and the notes say so.
  }
  return undefined;
}

function uuid(): string {
  const hex = Array.from({ length: 32 }, () => random.integer(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

function conversationId(index: number): string {
  return `6f1c1f58-7a3e-4a51-9f57-${String(index).padStart(12, '0')}`;
}

/** A bundle as the engine would push it: ~10 memories, a few recent turns, a summary. */
function realisticBundle(conversation: string, userIndex: number): ContextBundle {
  const createdAt = new Date(Date.UTC(2026, 0, 1) + random.integer(0, 86_400_000)).toISOString();
  const itemsByType: Partial<Record<ContextItem['contextType'], ContextItem[]>> = {};
  for (let index = 0; index < ITEMS_PER_BUNDLE; index++) {
    const memory = benchMemory(userIndex, random);
    const item: ContextItem = {
      itemId: uuid(),
      content: memory.content,
      contextType: memory.memoryType,
      source: 'memories',
      similarityScore: random.next(),
      relevanceScore: random.next(),
      confidence: memory.confidence,
      scope: 'user',
      entityId: memory.entityId,
      createdAt,
      temporalCategory: memory.temporalCategory,
      temporalConfidence: random.next(),
      ...(memory.eventDate ? { eventDate: memory.eventDate.toISOString() } : {}),
    };
    const list = itemsByType[item.contextType] ?? [];
    list.push(item);
    itemsByType[item.contextType] = list;
  }
  const recentTurns = Array.from({ length: TURNS_PER_BUNDLE }, (_, index) => ({
    role: index % 2 === 0 ? 'user' : 'assistant',
    content: benchMemory(userIndex, random).content,
    timestamp: createdAt,
  }));
  const bundle: ContextBundle = {
    bundleId: uuid(),
    decisionId: uuid(),
    itemsByType,
    totalTokens: random.integer(200, 900),
    tokenBudget: 2000,
    budgetExceeded: false,
    retrievalMode: 'fast',
    sourcesQueried: ['memories', 'messages'],
    degradationLevel: 'none',
    warnings: [],
    createdAt,
    retrievalTimeMs: random.integer(2, 40),
    cacheHit: false,
    searchQueries: ['flight to Lisbon', 'seat preference'],
    anticipationUserId: benchUserId(userIndex),
    anticipationCustomerId: '',
    anticipationConversationId: conversation,
    searchKeywords: ['flight', 'lisbon', 'seat'],
    bundleType: conversation === '' ? 'user_summary' : 'anticipation',
    conversationContext: {
      summary: `${benchUserId(userIndex)} is planning a trip and comparing flights and hotels.`,
      currentStateJson: '{"last_event_type":"tool_call","tool":"search_flights"}',
      keyExtractionsJson: '',
      recentTurns,
      conversationId: conversation,
    },
    bundleConfidence: random.next(),
    ttlHintSeconds: 3600,
    inReplyToEventId: uuid(),
  };
  return bundle;
}

/** What the gRPC transport hands the cache: the bundle encoded, decoded and mapped. */
function viaGrpc(bundle: ContextBundle): ContextBundle {
  const wire = ContextBundleProto.encode(contextBundleToProto(bundle)).finish();
  return contextBundleFromProto(ContextBundleProto.decode(wire));
}

function heapUsed(): number {
  gc?.run();
  gc?.run();
  return process.memoryUsage().heapUsed;
}

interface Fill {
  cache: AnticipationCache;
  /** Heap growth over the fill, after GC; undefined without a way to force GC. */
  heapBytes: number | undefined;
  estimateBytes: number;
  putNs: number;
}

/** A cache holding one bundle for each of CONVERSATIONS conversations, measured. */
function fill(decode: (bundle: ContextBundle) => ContextBundle): Fill {
  const heapBefore = heapUsed();
  const cache = new AnticipationCache({ maxConversations: CONVERSATIONS, maxBytes: 2 ** 30 });
  let putNs = 0;
  for (let index = 0; index < CONVERSATIONS; index++) {
    const bundle = decode(realisticBundle(conversationId(index), index % USERS));
    const started = process.hrtime.bigint();
    cache.put(bundle);
    putNs += Number(process.hrtime.bigint() - started);
  }
  const heapBytes = gc ? heapUsed() - heapBefore : undefined;
  return { cache, heapBytes, estimateBytes: cache.stats().bytes, putNs: putNs / CONVERSATIONS };
}

/** Median nanoseconds a call over RUNS runs of CALLS calls cycling through `keys`. */
function timePeek(cache: AnticipationCache, keys: readonly AnticipationCacheKey[], hits: boolean) {
  const run = (calls: number) => {
    let found = 0;
    const started = process.hrtime.bigint();
    for (let call = 0; call < calls; call++) {
      if (cache.peek(keys[call % keys.length] as AnticipationCacheKey) !== undefined) found++;
    }
    const elapsed = Number(process.hrtime.bigint() - started);
    if (found !== (hits ? calls : 0)) throw new Error(`peek found ${found} of ${calls}`);
    return elapsed / calls;
  };
  run(WARMUP_CALLS);
  const runs = Array.from({ length: RUNS }, () => run(CALLS)).sort((a, b) => a - b);
  return {
    median: runs[Math.floor(RUNS / 2)] as number,
    min: runs[0] as number,
    max: runs.at(-1) as number,
  };
}

// Plain objects first, then dropped: the gRPC-decoded cache is the one the peeks read.
const plain = fill((bundle) => structuredClone(bundle));
plain.cache.clear();
const grpc = fill(viaGrpc);
const { cache } = grpc;
for (let user = 0; user < USERS; user++) cache.put(viaGrpc(realisticBundle('', user)));

const conversationKeys = Array.from({ length: CONVERSATIONS }, (_, index) => ({
  conversationId: conversationId(index),
  userId: benchUserId(index % USERS),
}));
const fallbackKeys = Array.from({ length: USERS }, (_, user) => ({
  conversationId: conversationId(CONVERSATIONS + user),
  userId: benchUserId(user),
}));
const missKeys = Array.from({ length: CONVERSATIONS }, (_, index) => ({
  conversationId: conversationId(CONVERSATIONS + USERS + index),
  userId: `unknown-${index}`,
}));
const peeks = {
  'peek hit (conversation)': timePeek(cache, conversationKeys, true),
  'peek hit (user-level fallback)': timePeek(cache, fallbackKeys, true),
  'peek miss': timePeek(cache, missKeys, false),
};

const scale = `${CONVERSATIONS / 1000}k conversations, ${ITEMS_PER_BUNDLE} items and ${TURNS_PER_BUNDLE} turns a bundle`;
const heapNote = gc
  ? `process heapUsed growth over the fill, after GC (${gc.how}); ${scale}`
  : `NO GC AVAILABLE, so no heap figure: this is the cache's byte estimate; ${scale}`;
const results: BenchResult[] = [
  ...Object.entries(peeks).map(([name, timing]) => ({
    name,
    unit: 'ns/call',
    value: timing.median,
    notes: `median of ${RUNS} runs of 1M calls (min ${timing.min.toFixed(0)}, max ${timing.max.toFixed(0)}) over distinct keys, after ${WARMUP_CALLS / 1000}k warm-up; ${scale}; Date.now clock`,
  })),
  { name: 'put', unit: 'µs/call', value: grpc.putNs / 1000, notes: `mean over the fill; ${scale}` },
  {
    name: 'heap, 10k conversations (gRPC-decoded)',
    unit: 'MiB',
    value: (grpc.heapBytes ?? grpc.estimateBytes) / MIB,
    notes: `${heapNote}; bundles through ContextBundleProto encode/decode and contextBundleFromProto`,
  },
  {
    name: 'heap, 10k conversations (plain objects)',
    unit: 'MiB',
    value: (plain.heapBytes ?? plain.estimateBytes) / MIB,
    notes: `${heapNote}; the same bundles as structuredClone'd fast-mode objects`,
  },
  {
    name: 'estimate, 10k conversations',
    unit: 'MiB',
    value: grpc.estimateBytes / MIB,
    notes: 'stats().bytes: estimateBundleBytes, what maxBytes is checked against',
  },
].map((result) => ({ ...result, backend: 'none' }));

console.log(formatTable(results));
writeResults(RESULTS, results);
console.log(`\nwrote ${RESULTS}`);
