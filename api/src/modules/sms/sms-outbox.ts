import type pg from 'pg';
import { maskPhone } from '../../domain/privacy/mask.js';
import { startOfBusinessDay } from '../../domain/sla/business-time.js';
import { allotSms } from '../../domain/sms/sms-allotment.js';
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
  const [queued] = await enqueueSmsBatch(tx, [request], now);
  return queued;
}

/**
 * `enqueueSms` for many at once, in a fixed number of statements whatever their number (a sweep
 * sending a thousand): the phones' advisory locks taken in one sorted pass (two batches never
 * deadlock), today's counts and recorded keys read in one query, the allotment decided in order
 * (`allotSms`), then the `sms_message` rows and their outbox rows written set-wise. Answers in
 * the order asked.
 */
export async function enqueueSmsBatch(
  tx: pg.PoolClient,
  requests: readonly SmsRequest[],
  now: Date,
): Promise<SmsQueued[]> {
  if (requests.length === 0) return [];
  const digests = [...new Set(requests.map((r) => r.phoneDigest))].sort();
  await tx.query(
    'select count(pg_advisory_xact_lock(hashtextextended(d, 14))) from (select unnest($1::text[]) as d order by 1) x',
    [digests],
  );
  const { rows: known } = await tx.query<{ kind: 'COUNT' | 'KEY'; k: string; n: number }>(
    `select 'COUNT' as kind, phone_digest as k, count(*)::int as n from sms_message
      where phone_digest = any($1::text[]) and created_at >= $2 group by phone_digest
     union all
     select 'KEY', dedupe_key, 1 from sms_message where dedupe_key = any($3::text[])`,
    [digests, startOfBusinessDay(now), requests.map((r) => r.dedupeKey)],
  );
  const sentToday = new Map(known.filter((r) => r.kind === 'COUNT').map((r) => [r.k, r.n]));
  const recorded = new Set(known.filter((r) => r.kind === 'KEY').map((r) => r.k));
  const allotted = allotSms(requests, sentToday, recorded);
  const going = requests.filter((_, i) => allotted[i] === 'QUEUE');
  const smsIds = new Map<string, string>();
  if (going.length > 0) {
    const templates = new Map<string, SmsTemplate>();
    for (const r of going)
      if (!templates.has(r.template))
        templates.set(r.template, r.loadedTemplate ?? (await templateFor(tx, r.template)));
    const rows = going.map((r) => {
      const template = templates.get(r.template)!;
      const hidden = { ...r.params };
      for (const name of r.secretParams ?? []) hidden[name] = '******';
      return {
        request: r,
        template,
        sendAfter: r.sendAfter && r.sendAfter > now ? r.sendAfter : now,
        preview: renderTemplate(template.text, hidden),
      };
    });
    const { rows: inserted } = await tx.query<{ id: string; dedupe_key: string }>(
      `insert into sms_message (dedupe_key, phone_digest, phone_masked, template_code, preview, status, created_at, send_after)
       select t.dedupe_key, t.phone_digest, t.phone_masked, t.template_code, t.preview, 'PENDING', $1, t.send_after
         from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
           as t(dedupe_key, phone_digest, phone_masked, template_code, preview, send_after)
       returning id, dedupe_key`,
      [
        now,
        rows.map((x) => x.request.dedupeKey),
        rows.map((x) => x.request.phoneDigest),
        rows.map((x) => maskPhone(x.request.phone)),
        rows.map((x) => x.request.template),
        rows.map((x) => x.preview),
        rows.map((x) => x.sendAfter),
      ],
    );
    for (const r of inserted) smsIds.set(r.dedupe_key, r.id);
    await enqueueOutbox(
      tx,
      rows.map(({ request, template, sendAfter }) => {
        const payload: SmsPayload = {
          smsId: smsIds.get(request.dedupeKey)!,
          phone: request.phone,
          templateCode: request.template,
          providerTemplateCode: template.providerTemplateCode,
          params: request.params,
          text: renderTemplate(template.text, request.params),
        };
        return {
          topic: SMS_TOPIC,
          dedupeKey: `sms:${request.dedupeKey}`,
          payload: payload as unknown as Record<string, unknown>,
          availableAt: sendAfter,
        };
      }),
    );
  }
  return requests.map((r, i) => {
    const outcome = allotted[i];
    return outcome === 'QUEUE'
      ? { queued: true as const, smsId: smsIds.get(r.dedupeKey)! }
      : { queued: false as const, reason: outcome };
  });
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
