import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type pg from 'pg';

/** The audience of customer tokens: staff tokens never carry it, so neither can pass for the other. */
export const CUSTOMER_AUDIENCE = 'orderops:customer';
const ISSUER = 'orderops';
/** A customer session lasts 30 minutes; the site asks for a new code after that. */
export const CUSTOMER_TOKEN_TTL_SECONDS = 30 * 60;
/** How many verified customer tokens are remembered (about 1 MB). */
const VERIFIED_TOKENS_KEPT = 10_000;

export interface CustomerSession {
  phone: string;
  phoneDigest: string;
  expiresAt: Date;
}

/**
 * Keys of the customer side, kept in `customer_key` (created on first start, never in the repo):
 * one signs customer tokens (HS256 JWT, audience `orderops:customer`), another keys the digests
 * of phone numbers so limits and the audit can count a phone without storing it.
 */
export class CustomerKeys {
  /**
   * Tokens already verified, until they expire: a signed-in page asks again and again with the
   * same token, and a token cannot change, so its signature is checked once. Bounded; the
   * oldest entry goes first.
   */
  private readonly verified = new Map<string, CustomerSession>();

  private constructor(
    private readonly tokenKey: Uint8Array,
    private readonly phoneKey: Buffer,
  ) {}

  static async open(pool: pg.Pool): Promise<CustomerKeys> {
    await pool.query(
      `insert into customer_key (name, value) values ('token', $1), ('phone-digest', $2) on conflict (name) do nothing`,
      [randomBytes(48).toString('base64url'), randomBytes(48).toString('base64url')],
    );
    const { rows } = await pool.query<{ name: string; value: string }>(
      'select name, value from customer_key',
    );
    const key = (name: string) => Buffer.from(rows.find((r) => r.name === name)!.value, 'base64url');
    return new CustomerKeys(new Uint8Array(key('token')), key('phone-digest'));
  }

  phoneDigest(phone: string): string {
    return createHmac('sha256', this.phoneKey).update(phone).digest('base64url');
  }

  /** HMAC of a login code, bound to the phone so a digest is useless for another number. */
  codeDigest(phoneDigest: string, code: string): string {
    return createHmac('sha256', this.phoneKey).update(`code:${phoneDigest}:${code}`).digest('base64url');
  }

  sameDigest(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  }

  async issueToken(phone: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + CUSTOMER_TOKEN_TTL_SECONDS;
    const token = await new SignJWT({ phone })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(CUSTOMER_AUDIENCE)
      .setSubject(this.phoneDigest(phone))
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.tokenKey);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The session of a customer token, or why not: a staff token, another audience, expired, forged. */
  async verifyToken(
    token: string,
    now: Date,
  ): Promise<{ ok: true; session: CustomerSession } | { ok: false; reason: 'EXPIRED' | 'INVALID' }> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt.getTime() > now.getTime()) return { ok: true, session: known };
      this.verified.delete(token);
      return { ok: false, reason: 'EXPIRED' };
    }
    try {
      const { payload } = await jwtVerify(token, this.tokenKey, {
        algorithms: ['HS256'],
        audience: CUSTOMER_AUDIENCE,
        issuer: ISSUER,
        currentDate: now,
        requiredClaims: ['exp', 'sub'],
      });
      const phone = payload.phone;
      if (typeof phone !== 'string' || payload.sub !== this.phoneDigest(phone))
        return { ok: false, reason: 'INVALID' };
      const session = {
        phone,
        phoneDigest: payload.sub,
        expiresAt: new Date((payload.exp as number) * 1000),
      };
      // Only a token already valid by the clock is remembered (not one issued "in the future").
      if (typeof payload.iat !== 'number' || payload.iat * 1000 <= now.getTime() + 60_000) {
        if (this.verified.size >= VERIFIED_TOKENS_KEPT)
          this.verified.delete(this.verified.keys().next().value as string);
        this.verified.set(token, session);
      }
      return { ok: true, session };
    } catch (error) {
      return { ok: false, reason: error instanceof joseErrors.JWTExpired ? 'EXPIRED' : 'INVALID' };
    }
  }
}
