import { conversationIdFrom } from '../client/conversation-id.js';
import { InvalidInputError } from '../client/errors.js';

/**
 * Who the MCP tools act for. Each field set here is fixed for every call (and is not
 * offered to the MCP client as an argument, so an assistant cannot read or write
 * another user's memories through a server bound to one); each field left out is a
 * tool argument instead.
 */
export interface McpIdentity {
  /** Env `FORESIGHT_MCP_USER_ID`. */
  userId?: string;
  /** Required by B2B tenants. Env `FORESIGHT_MCP_CUSTOMER_ID`. */
  customerId?: string;
  /** A UUID or any thread id (mapped with `conversationIdFrom`). Env `FORESIGHT_MCP_CONVERSATION_ID`. */
  conversationId?: string;
}

/** The identity fields a tool call may carry, as parsed from its arguments. */
export interface IdentityArguments {
  userId?: string | undefined;
  customerId?: string | undefined;
  conversationId?: string | undefined;
}

/** A configured identity from flags, falling back to env; empty values count as unset. */
export function resolveMcpIdentity(
  flags: McpIdentity,
  env: Record<string, string | undefined> = process.env,
): McpIdentity {
  const pick = (flag: string | undefined, name: string) => flag || env[name] || undefined;
  const userId = pick(flags.userId, 'FORESIGHT_MCP_USER_ID');
  const customerId = pick(flags.customerId, 'FORESIGHT_MCP_CUSTOMER_ID');
  const conversationId = pick(flags.conversationId, 'FORESIGHT_MCP_CONVERSATION_ID');
  return {
    ...(userId ? { userId } : {}),
    ...(customerId ? { customerId } : {}),
    ...(conversationId ? { conversationId } : {}),
  };
}

/**
 * The identity of one call: the configured field where there is one, else the
 * argument. `required` fields missing from both throw `InvalidInputError` naming the
 * field, which the server turns into a tool error. A conversation id that is not a
 * UUID is mapped the way the adapters map thread ids, so an MCP client and an adapter
 * given the same thread id meet in the same conversation.
 */
export function identityOf(
  configured: McpIdentity,
  args: IdentityArguments,
  required: (keyof McpIdentity)[],
): McpIdentity {
  const userId = configured.userId ?? args.userId;
  const customerId = configured.customerId ?? args.customerId;
  const thread = configured.conversationId ?? args.conversationId;
  const identity: McpIdentity = {
    ...(userId ? { userId } : {}),
    ...(customerId ? { customerId } : {}),
    ...(thread ? { conversationId: conversationIdFrom(thread) } : {}),
  };
  for (const field of required) {
    if (identity[field] === undefined)
      throw new InvalidInputError({ message: `${field}: is required`, field });
  }
  return identity;
}
