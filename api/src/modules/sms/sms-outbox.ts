import type pg from 'pg';
import { maskPhone } from '../../domain/privacy/mask.js';
import { startOfBusinessDay } from '../../domain/sla/business-time.js';
import { renderTemplate, type SmsTemplate, type SmsTemplateCode } from '../../domain/sms/sms-template.js';
import { enqueueOutbox } from '../../infra/outbox/outbox.js';
import type { DeliveryOutcome, OutboxHandler } from '../../infra/outbox/outbox-handler.js';
import { RecordingSmsProvider } from './recording-sms-provider.js';
import type { SmsProvider } from './sms-provider.js';
import { templateFor } from './sms-template.store.js';

/** Outbox topic of every SMS. */
export const SMS_TOPIC = 'sms.send';

interface SmsPayload {
  smsId: string;
  phone: string;
  templateCode: string;
  providerTemplateCode: string;
  params: Record<string, string>;
  text: string;
}

export interface SmsRequest {
  /** Same cause, same key (e.g. `stall:<shipment>:<n>`): asked twice, sent once. */
  dedupeKey: string;
  phone: string;
  /** A keyed digest of the phone, for the per-phone limit. */
  phoneDigest: string;
  template: SmsTemplateCode;
  params: Record<string, string>;
  /** Not before (quiet hours). @default now */
  sendAfter?: Date;
  /** At most this many SMS to the phone per Shanghai day; over it, nothing is queued. */
  perPhonePerDay: number;
  /** Parameters to hide in the staff preview (a login code). */
  secretParams?: readonly string[];
  /** The template, when the caller loaded it already (a sweep sending many). @default read now */
  loadedTemplate?: SmsTemplate;
}

export type SmsQueued =
  | { queued: true; smsId: string }
  | { queued: false; reason: 'DUPLICATE' | 'PHONE_LIMIT' };

/**
 * Records an SMS and queues its delivery in the caller's transaction, so it goes out exactly when
 * the state change that causes it commits. The per-phone count takes a transaction-scoped
 * advisory lock on the phone's digest, so two requests racing cannot both pass the limit.
 */
export async function enqueueSms(tx: pg.PoolClient, request: SmsRequest, now: Date): Promise<SmsQueued> {
  await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 14))', [request.phoneDigest]);
  const { rows: counted } = await tx.query<{ n: number; dup: boolean }>(
    `select count(*)::int as n, bool_or(dedupe_key = $3) as dup from sms_message
      where phone_digest = $1 and created_at >= $2 or dedupe_key = $3`,
    [request.phoneDigest, startOfBusinessDay(now), request.dedupeKey],
  );
  if (counted[0].dup) return { queued: false, reason: 'DUPLICATE' };
  if (counted[0].n >= request.perPhonePerDay) return { queued: false, reason: 'PHONE_LIMIT' };
  const template = request.loadedTemplate ?? (await templateFor(tx, request.template));
  const text = renderTemplate(template.text, request.params);
  const hidden = { ...request.params };
  for (const name of request.secretParams ?? []) hidden[name] = '******';
  const sendAfter = request.sendAfter && request.sendAfter > now ? request.sendAfter : now;
  const { rows } = await tx.query<{ id: string }>(
    `insert into sms_message (dedupe_key, phone_digest, phone_masked, template_code, preview, status, created_at, send_after)
     values ($1, $2, $3, $4, $5, 'PENDING', $6, $7) returning id`,
    [
      request.dedupeKey,
      request.phoneDigest,
      maskPhone(request.phone),
      request.template,
      renderTemplate(template.text, hidden),
      now,
      sendAfter,
    ],
  );
  const smsId = rows[0].id;
  const payload: SmsPayload = {
    smsId,
    phone: request.phone,
    templateCode: request.template,
    providerTemplateCode: template.providerTemplateCode,
    params: request.params,
    text,
  };
  await enqueueOutbox(tx, [
    {
      topic: SMS_TOPIC,
      dedupeKey: `sms:${request.dedupeKey}`,
      payload: payload as unknown as Record<string, unknown>,
      availableAt: sendAfter,
    },
  ]);
  return { queued: true, smsId };
}

let provider: SmsProvider = new RecordingSmsProvider();

/** Chooses the provider the `sms.send` handler delivers through (at start-up). */
export function useSmsProvider(next: SmsProvider): void {
  provider = next;
}

/**
 * Delivers `sms.send` messages one at a time through the provider chosen at start-up (claim →
 * send → mark), then records the provider's answer on the `sms_message` row. Its own lane, so a
 * slow SMS gateway delays no other topic.
 */
export function smsMessageHandler(pool: pg.Pool): OutboxHandler {
  return {
    topic: SMS_TOPIC,
    timeoutMs: 10_000,
    async deliver(messages) {
      const outcomes: DeliveryOutcome[] = [];
      for (const message of messages) {
        const p = message.payload as unknown as SmsPayload;
        const sent = await provider.send({
          messageId: p.smsId,
          phone: p.phone,
          templateCode: p.providerTemplateCode,
          params: p.params,
          text: p.text,
        });
        await pool.query(
          `update sms_message set status = $2, provider = $3, provider_message_id = $4, sent_at = $5 where id = $1`,
          [
            p.smsId,
            sent.ok ? 'SENT' : 'FAILED',
            provider.name,
            sent.ok ? sent.providerMessageId : null,
            sent.ok ? new Date() : null,
          ],
        );
        outcomes.push(sent.ok ? { ok: true } : sent);
      }
      return outcomes;
    },
  };
}
