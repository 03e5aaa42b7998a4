import type { Store } from '../store/store.js';
import { ReadThroughCache } from './read-through-cache.js';

/** Users whose usage is held at once. */
const DEFAULT_USERS = 10_000;
/**
 * How long a user's usage is trusted without a reload. A report through this server
 * drops it at once; one through another replica is seen within this time (learning is
 * a slow signal: no bundle is wrong for lacking it).
 */
const DEFAULT_TTL_MS = 60_000;

/** How often an item was in a reported bundle for a tool, and how often it was used. */
export interface ToolUse {
  uses: number;
  serves: number;
}

/** Per tool ('' for a turn), per item. */
type UsageByTool = Map<string, Map<string, ToolUse>>;

/**
 * The learning loop's memory: what each user's agent reported using (`context_used`)
 * of the bundles it was served, per tool, read once per user and held. Ranking counts
 * an item used for a tool as a match for that tool the next time, and one served for it
 * and never used as a weaker one (memory-anticipator.ts): the agent's own use says what
 * a tool needs better than its words.
 */
export class ItemUsageCache {
  readonly #store: Store;
  readonly #users: ReadThroughCache<UsageByTool>;

  constructor(store: Store, options: { users?: number; ttlMs?: number } = {}) {
    this.#store = store;
    this.#users = new ReadThroughCache<UsageByTool>({
      max: options.users ?? DEFAULT_USERS,
      ttlMs: options.ttlMs ?? DEFAULT_TTL_MS,
    });
  }

  /** What this user's agent was served and used for `toolName`, per item; empty when never. */
  async forTool(
    clientId: string,
    owner: { userId: string; customerId: string },
    toolName: string,
  ): Promise<ReadonlyMap<string, ToolUse>> {
    if (owner.userId === '') return EMPTY;
    const key = keyOf(clientId, owner);
    const usage = await this.#users.get(key, () => this.#load(clientId, owner));
    return usage.get(toolName) ?? EMPTY;
  }

  /** Drops a user's usage after a report, so the next event reads it again. */
  forget(clientId: string, owner: { userId: string; customerId: string }): void {
    this.#users.invalidate([keyOf(clientId, owner)]);
  }

  async #load(
    clientId: string,
    owner: { userId: string; customerId: string },
  ): Promise<UsageByTool> {
    const usage: UsageByTool = new Map();
    for (const row of await this.#store.listItemUsage(clientId, owner)) {
      let items = usage.get(row.toolName);
      if (!items) {
        items = new Map();
        usage.set(row.toolName, items);
      }
      items.set(row.itemId, { uses: row.uses, serves: row.serves });
    }
    return usage;
  }
}

const EMPTY: ReadonlyMap<string, ToolUse> = new Map();

function keyOf(clientId: string, owner: { userId: string; customerId: string }): string {
  return `${clientId}\u0000${owner.userId}\u0000${owner.customerId}`;
}
