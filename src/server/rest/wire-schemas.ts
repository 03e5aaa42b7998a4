import { validate as isUuid, v5 as uuidv5 } from 'uuid';
import { z } from 'zod';

/**
 * Shared building blocks of the REST schemas. Every optional field also accepts an
 * explicit `null`: the reference Python client sends many.
 */
export const MAX_CONTENT_CHARS = 256 * 1024;

/** Opaque ids (users, customers, sessions): no control characters, no `/` (they appear in paths). */
export const id = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^/\p{Cc}]+$/u, 'must not contain "/" or control characters');

/**
 * `""` reads as absent, as it does on gRPC (proto3's absent string): Synap's
 * TypeScript adapter sends `customer_id: ""` and `user_id: ""` for ids it does not have.
 */
const absentWhenEmpty = z.literal('').transform(() => undefined);

export const optionalId = z.union([absentWhenEmpty, id]).nullish();

/** Any UUID spelling is accepted and stored in canonical lower case. */
export const conversationId = z.uuid().transform((value) => value.toLowerCase());

/** An optional conversation id: absent, null or `""`, else a UUID as above. */
export const optionalConversationId = z.union([absentWhenEmpty, conversationId]).nullish();

/**
 * A conversation id that may be any caller id (Synap's TypeScript adapter passes the
 * application's own): mapped by toConversationUuid once the tenant is known.
 */
export const externalConversationId = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');
export const optionalExternalConversationId = z
  .union([absentWhenEmpty, externalConversationId])
  .nullish();

export const metadata = z.record(z.string(), z.unknown()).nullish();

export const role = z.enum(['user', 'assistant']);

export const content = z.string().min(1).max(MAX_CONTENT_CHARS);

/**
 * ISO 8601 with `Z`, an offset, or none (the Python client sends naive times), from
 * year 1: year 0000 is valid ISO but no date PostgreSQL stores as given.
 */
export const isoDateTime = z.iso
  .datetime({ offset: true, local: true })
  .refine((value) => !value.startsWith('0000'), { error: 'must be a date from year 1' });

/** Namespace for conversation ids derived from a caller's own ids (ingest). */
const EXTERNAL_CONVERSATION_NAMESPACE = '6c1f0e39-4a4b-5d7e-9a57-0f4e8c3b2a10';

/**
 * Ingest takes any caller id (a call id, a phone number and date): a UUID is kept
 * (canonical), anything else maps to a stable UUID v5 within the tenant.
 */
export function toConversationUuid(clientId: string, external: string): string {
  return isUuid(external)
    ? external.toLowerCase()
    : uuidv5(`${clientId}\u0000${external}`, EXTERNAL_CONVERSATION_NAMESPACE);
}
