import { readPhone } from '../phone/buyer-phone.js';

/**
 * Rules of the customer's one-time login code, pure, with `now` passed in. A code has 6 digits,
 * lives 5 minutes and allows 5 tries; a new one may be asked for after 60 s. Limits against
 * brute force and SMS pumping count requests per phone and per client address.
 */
export const OTP_RULES = {
  digits: 6,
  ttlSeconds: 5 * 60,
  maxTries: 5,
  resendAfterSeconds: 60,
  /** After the tries run out, no new code for this long. */
  lockSeconds: 15 * 60,
  perPhonePerHour: 5,
  perPhonePerDay: 10,
  perAddressPerHour: 30,
} as const;

export interface LiveCode {
  sentAt: Date;
  expiresAt: Date;
  failedAttempts: number;
  lockedUntil: Date | null;
}

export interface RequestHistory {
  phoneLastHour: number;
  phoneLastDay: number;
  addressLastHour: number;
}

export type CodeRequestDecision =
  | { ok: true; expiresAt: Date }
  | {
      ok: false;
      code: 'RESEND_TOO_SOON' | 'LOCKED' | 'PHONE_LIMIT' | 'ADDRESS_LIMIT';
      retryAfterSeconds: number;
    };

export function decideCodeRequest(
  live: LiveCode | null,
  history: RequestHistory,
  now: Date,
): CodeRequestDecision {
  const t = now.getTime();
  if (live?.lockedUntil && live.lockedUntil.getTime() > t)
    return { ok: false, code: 'LOCKED', retryAfterSeconds: secondsUntil(live.lockedUntil, now) };
  const resendAt = live ? live.sentAt.getTime() + OTP_RULES.resendAfterSeconds * 1000 : 0;
  if (live && resendAt > t)
    return { ok: false, code: 'RESEND_TOO_SOON', retryAfterSeconds: Math.ceil((resendAt - t) / 1000) };
  if (history.addressLastHour >= OTP_RULES.perAddressPerHour)
    return { ok: false, code: 'ADDRESS_LIMIT', retryAfterSeconds: 3600 };
  if (history.phoneLastHour >= OTP_RULES.perPhonePerHour)
    return { ok: false, code: 'PHONE_LIMIT', retryAfterSeconds: 3600 };
  if (history.phoneLastDay >= OTP_RULES.perPhonePerDay)
    return { ok: false, code: 'PHONE_LIMIT', retryAfterSeconds: 86_400 };
  return { ok: true, expiresAt: new Date(t + OTP_RULES.ttlSeconds * 1000) };
}

export type CodeCheckDecision =
  | { ok: true }
  | { ok: false; code: 'NO_CODE' | 'EXPIRED' | 'LOCKED'; remainingTries: 0 }
  | { ok: false; code: 'WRONG_CODE'; remainingTries: number; lockedUntil: Date | null };

/** `matches` is whether the code given equals the live one (compared by the caller in constant time). */
export function decideCodeCheck(live: LiveCode | null, matches: boolean, now: Date): CodeCheckDecision {
  if (!live) return { ok: false, code: 'NO_CODE', remainingTries: 0 };
  if (live.lockedUntil && live.lockedUntil.getTime() > now.getTime())
    return { ok: false, code: 'LOCKED', remainingTries: 0 };
  if (live.failedAttempts >= OTP_RULES.maxTries) return { ok: false, code: 'LOCKED', remainingTries: 0 };
  if (live.expiresAt.getTime() <= now.getTime()) return { ok: false, code: 'EXPIRED', remainingTries: 0 };
  if (matches) return { ok: true };
  const remainingTries = OTP_RULES.maxTries - live.failedAttempts - 1;
  return {
    ok: false,
    code: 'WRONG_CODE',
    remainingTries,
    lockedUntil: remainingTries === 0 ? new Date(now.getTime() + OTP_RULES.lockSeconds * 1000) : null,
  };
}

/**
 * The phone a shopper types, in the form orders store it (see `domain/phone/buyer-phone.ts`): a
 * mainland mobile as its 11 digits (spaces, dashes and +86 allowed), any other number with its
 * country code as E.164, so a Hong Kong buyer finds the order the web shop stored as +852….
 */
export function normaliseMobile(input: unknown): string | null {
  const reading = readPhone(input, 'INTERNATIONAL');
  return reading.ok ? reading.phone : null;
}

const secondsUntil = (at: Date, now: Date) => Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
