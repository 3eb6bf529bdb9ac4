import type { CustomerKeys, CustomerSession } from './customer-keys.js';

const SCHEME = /^customer\s+(\S+)$/i;

/**
 * Reads `Authorization: Customer <token>`. Null when the header names another scheme (staff and
 * partner credentials are the auth module's); a customer token is never read as a staff one.
 */
export async function customerContext(
  keys: CustomerKeys,
  authorization: string | undefined,
  now: Date,
): Promise<{ ok: true; session: CustomerSession } | { ok: false; reason: string } | null> {
  const match = SCHEME.exec(authorization?.trim() ?? '');
  if (!match) return null;
  const checked = await keys.verifyToken(match[1], now);
  return checked.ok
    ? { ok: true, session: checked.session }
    : {
        ok: false,
        reason: checked.reason === 'EXPIRED' ? 'customer session expired' : 'invalid customer token',
      };
}
