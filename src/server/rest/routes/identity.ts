import type { AuthContext } from '../../api-keys.js';
import { ServerError } from '../../server-error.js';

/**
 * The scope rules of wire.md. B2C: customer_id may be omitted (stored as ''). B2B: a
 * user_id without a customer_id is invalid input.
 */
export function resolveCustomer(
  auth: AuthContext,
  userId: string | null | undefined,
  customerId: string | null | undefined,
  fieldPrefix = '',
): string {
  if (customerId) return customerId;
  if (auth.clientMode === 'b2b' && userId) {
    throw ServerError.invalid(
      `${fieldPrefix}customer_id`,
      'is required with user_id for a B2B client',
    );
  }
  return '';
}
