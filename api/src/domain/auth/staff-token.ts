import { createHmac, timingSafeEqual } from 'node:crypto';
import { STAFF_ROLES, type StaffRole } from './viewer.js';

/**
 * Who a token is for. Each kind of token names its own audience and is verified against it, so
 * a token issued for one audience never passes for another (a customer's token is not staff's).
 */
export const TOKEN_AUDIENCES = ['staff'] as const;
export type TokenAudience = (typeof TOKEN_AUDIENCES)[number] | (string & {});

/** Claims of a staff session token. */
export interface StaffClaims {
  aud: 'staff';
  userId: string;
  username: string;
  roles: StaffRole[];
  /**
   * The user's token version when the token was issued; deactivating the user (or revoking their
   * sessions) raises the stored version, and older tokens stop passing.
   */
  ver: number;
  /** Expiry, unix seconds. */
  exp: number;
}

/** Staff sessions last a working day. @default 12 h */
export const STAFF_TOKEN_TTL_SECONDS = 12 * 3600;

const b64 = (s: string) => Buffer.from(s).toString('base64url');

/** Signs a compact token: base64url(claims).base64url(HMAC-SHA256). `now` is passed in. */
export function issueStaffToken(
  secret: string,
  user: { userId: string; username: string; roles: readonly StaffRole[]; tokenVersion?: number },
  now: Date,
  ttlSeconds = STAFF_TOKEN_TTL_SECONDS,
): string {
  const claims: StaffClaims = {
    aud: 'staff',
    userId: user.userId,
    username: user.username,
    ver: user.tokenVersion ?? 0,
    roles: [...user.roles],
    exp: Math.floor(now.getTime() / 1000) + ttlSeconds,
  };
  const body = b64(JSON.stringify(claims));
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

export type TokenCheck =
  | { ok: true; claims: StaffClaims }
  | { ok: false; reason: 'MALFORMED' | 'BAD_SIGNATURE' | 'EXPIRED' | 'WRONG_AUDIENCE' };

/** Verifies signature and expiry; parses the claims from untrusted input. */
export function verifyStaffToken(secret: string, token: string, now: Date): TokenCheck {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return { ok: false, reason: 'MALFORMED' };
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'BAD_SIGNATURE' };
  let claims: StaffClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'MALFORMED' };
  }
  if (
    typeof claims?.userId !== 'string' ||
    typeof claims.username !== 'string' ||
    !Array.isArray(claims.roles) ||
    !claims.roles.every((r) => (STAFF_ROLES as readonly string[]).includes(r)) ||
    typeof claims.exp !== 'number' ||
    !Number.isSafeInteger(claims.ver)
  )
    return { ok: false, reason: 'MALFORMED' };
  if (claims.aud !== 'staff') return { ok: false, reason: 'WRONG_AUDIENCE' };
  if (claims.exp * 1000 <= now.getTime()) return { ok: false, reason: 'EXPIRED' };
  return { ok: true, claims };
}
