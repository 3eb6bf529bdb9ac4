import { randomInt } from 'node:crypto';
import type pg from 'pg';
import {
  type CodeCheckDecision,
  type CodeRequestDecision,
  decideCodeCheck,
  decideCodeRequest,
  type LiveCode,
  OTP_RULES,
} from '../../domain/customer/otp-rules.js';
import { inTransaction } from '../../infra/db/transaction.js';
import { enqueueSms } from '../sms/sms-outbox.js';
import { audit } from './customer-audit.js';
import type { CustomerKeys } from './customer-keys.js';

export interface OtpDeps {
  pool: pg.Pool;
  keys: CustomerKeys;
  /** Per-phone SMS limit of the SMS module (a day's worth); the OTP limits are tighter. */
  smsPerPhonePerDay: number;
  /** Makes a code; a fixed one only in tests. @default six random digits */
  makeCode?: () => string;
}

const sixDigits = () => String(randomInt(0, 10 ** OTP_RULES.digits)).padStart(OTP_RULES.digits, '0');

async function liveCode(
  tx: pg.PoolClient,
  digest: string,
): Promise<(LiveCode & { codeDigest: string }) | null> {
  const { rows } = await tx.query(
    'select code_digest, sent_at, expires_at, failed_attempts, locked_until from customer_otp where phone_digest = $1 for update',
    [digest],
  );
  const r = rows[0];
  return r
    ? {
        codeDigest: r.code_digest,
        sentAt: r.sent_at,
        expiresAt: r.expires_at,
        failedAttempts: r.failed_attempts,
        lockedUntil: r.locked_until,
      }
    : null;
}

/**
 * Sends a login code to `phone`, whether or not it has orders (the answer reveals nothing), within
 * the resend delay and the per-phone and per-address limits. One transaction: the code, the
 * request log, the SMS and the audit line.
 */
export async function requestLoginCode(
  deps: OtpDeps,
  phone: string,
  clientAddress: string,
  now: Date,
): Promise<CodeRequestDecision> {
  const digest = deps.keys.phoneDigest(phone);
  return inTransaction(deps.pool, async (tx) => {
    await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 15))', [digest]);
    const live = await liveCode(tx, digest);
    const { rows } = await tx.query<{ phone_hour: number; phone_day: number; address_hour: number }>(
      `select count(*) filter (where phone_digest = $1 and requested_at > $3::timestamptz - interval '1 hour')::int as phone_hour,
              count(*) filter (where phone_digest = $1)::int as phone_day,
              count(*) filter (where client_address = $2 and requested_at > $3::timestamptz - interval '1 hour')::int as address_hour
         from customer_otp_request
        where (phone_digest = $1 or client_address = $2) and requested_at > $3::timestamptz - interval '1 day'`,
      [digest, clientAddress, now],
    );
    const decision = decideCodeRequest(
      live,
      {
        phoneLastHour: rows[0].phone_hour,
        phoneLastDay: rows[0].phone_day,
        addressLastHour: rows[0].address_hour,
      },
      now,
    );
    if (!decision.ok) {
      await audit(tx, { phone, phoneDigest: digest, action: 'CODE_REFUSED', clientAddress }, now);
      return decision;
    }
    const code = (deps.makeCode ?? sixDigits)();
    await tx.query(
      'insert into customer_otp_request (phone_digest, client_address, requested_at) values ($1, $2, $3)',
      [digest, clientAddress, now],
    );
    await tx.query(
      `insert into customer_otp (phone_digest, code_digest, sent_at, expires_at, failed_attempts, locked_until)
       values ($1, $2, $3, $4, 0, null)
       on conflict (phone_digest) do update set code_digest = excluded.code_digest, sent_at = excluded.sent_at,
          expires_at = excluded.expires_at, failed_attempts = 0, locked_until = null`,
      [digest, deps.keys.codeDigest(digest, code), now, decision.expiresAt],
    );
    await enqueueSms(
      tx,
      {
        dedupeKey: `login:${digest}:${now.getTime()}`,
        phone,
        phoneDigest: digest,
        template: 'LOGIN_CODE',
        params: { code, minutes: String(OTP_RULES.ttlSeconds / 60) },
        secretParams: ['code'],
        // The OTP limits are the binding ones; login codes must not be starved by stall notices.
        perPhonePerDay: deps.smsPerPhonePerDay + OTP_RULES.perPhonePerDay,
      },
      now,
    );
    await audit(tx, { phone, phoneDigest: digest, action: 'CODE_REQUESTED', clientAddress }, now);
    return decision;
  });
}

export type CodeVerification =
  | { ok: true; token: string; expiresAt: Date }
  | Exclude<CodeCheckDecision, { ok: true }>;

/** Checks a code; a right one is used up and answers a customer token for that phone. */
export async function verifyLoginCode(
  deps: OtpDeps,
  phone: string,
  code: string,
  clientAddress: string,
  now: Date,
): Promise<CodeVerification> {
  const digest = deps.keys.phoneDigest(phone);
  const checked = await inTransaction(deps.pool, async (tx) => {
    const live = await liveCode(tx, digest);
    const matches =
      live !== null &&
      /^\d{6}$/.test(code) &&
      deps.keys.sameDigest(live.codeDigest, deps.keys.codeDigest(digest, code));
    const decision = decideCodeCheck(live, matches, now);
    if (decision.ok) {
      await tx.query('delete from customer_otp where phone_digest = $1', [digest]);
      await audit(tx, { phone, phoneDigest: digest, action: 'CODE_VERIFIED', clientAddress }, now);
    } else if (decision.code === 'WRONG_CODE') {
      await tx.query(
        'update customer_otp set failed_attempts = failed_attempts + 1, locked_until = $2 where phone_digest = $1',
        [digest, decision.lockedUntil],
      );
      await audit(
        tx,
        { phone, phoneDigest: digest, action: decision.lockedUntil ? 'LOCKED' : 'CODE_WRONG', clientAddress },
        now,
      );
    } else await audit(tx, { phone, phoneDigest: digest, action: 'CODE_WRONG', clientAddress }, now);
    return decision;
  });
  if (!checked.ok) return checked;
  return { ok: true, ...(await deps.keys.issueToken(phone, now)) };
}
