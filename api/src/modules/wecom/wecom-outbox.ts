import type { WecomMessage } from '../../domain/wecom/wecom-message.js';
import type { Logger } from '../../infra/logging/logger.js';
import type { OutboxEntry } from '../../infra/outbox/outbox.js';
import type { DeliveryOutcome, OutboxHandler, OutboxRecord } from '../../infra/outbox/outbox-dispatcher.js';
import { describeEndpoint, HttpWecomSender, isRateLimited, type WecomSender } from './wecom-sender.js';

/** Outbox topic of every WeCom group-robot message. */
export const WECOM_MESSAGE_TOPIC = 'wecom.message';

/** What a `wecom.message` outbox row carries. */
export interface WecomOutboxPayload {
  webhookUrl: string;
  message: WecomMessage;
  /** Why it is sent, e.g. `flow-health`, `sla-reminder`; shown in logs instead of the content. */
  purpose: string;
  orderId?: string;
}

/**
 * The outbox entry that sends `message` to a group robot. Enqueue it with `enqueueOutbox` in the
 * transaction that causes it; the same `dedupeKey` (e.g. `wecom:<purpose>:<orderId>:<level>`)
 * enqueued again is ignored, so a retried cause never sends twice.
 */
export function wecomOutboxEntry(entry: {
  webhookUrl: string;
  message: WecomMessage;
  dedupeKey: string;
  purpose: string;
  orderId?: string;
  /** Deliver not before this time. @default now */
  availableAt?: Date;
}): OutboxEntry {
  const payload: WecomOutboxPayload = {
    webhookUrl: entry.webhookUrl,
    message: entry.message,
    purpose: entry.purpose,
    ...(entry.orderId ? { orderId: entry.orderId } : {}),
  };
  return {
    topic: WECOM_MESSAGE_TOPIC,
    dedupeKey: entry.dedupeKey,
    payload: payload as unknown as Record<string, unknown>,
    ...(entry.availableAt ? { availableAt: entry.availableAt } : {}),
  };
}

/**
 * Delivers `wecom.message` rows through `sender`, one request each, in claiming order. After a
 * robot answers "rate limited" the rest of the batch for that robot is deferred without a request
 * (it would be refused too); the outbox retries them with its backoff.
 */
export function createWecomMessageHandler(
  sender: WecomSender,
  options: { logger?: Logger } = {},
): OutboxHandler {
  return {
    topic: WECOM_MESSAGE_TOPIC,
    async deliver(messages) {
      const limited = new Set<string>();
      const outcomes: DeliveryOutcome[] = [];
      for (const record of messages) {
        const payload = readPayload(record);
        if (!payload.ok) {
          outcomes.push({ ok: false, error: payload.error, retryable: false });
          continue;
        }
        const { webhookUrl, message, purpose, orderId } = payload.value;
        if (limited.has(webhookUrl)) {
          outcomes.push({ ok: false, error: 'deferred: the robot rate-limited this batch', retryable: true });
          continue;
        }
        const outcome = await sender.send(webhookUrl, message);
        if (isRateLimited(outcome)) limited.add(webhookUrl);
        options.logger?.info(
          {
            outboxId: record.id,
            purpose,
            orderId,
            endpoint: endpointOf(webhookUrl),
            msgtype: message.msgtype,
            delivered: outcome.ok,
            attempt: record.attempts + 1,
          },
          'wecom message sent',
        );
        outcomes.push(outcome);
      }
      return outcomes;
    },
  };
}

/** The handler the worker registers: real HTTP with a 10 s timeout. */
export const wecomMessageHandler: OutboxHandler = createWecomMessageHandler(new HttpWecomSender());

type PayloadCheck = { ok: true; value: WecomOutboxPayload } | { ok: false; error: string };

/** A row that cannot be sent as written will never be: it is parked as dead at once. */
function readPayload(record: OutboxRecord): PayloadCheck {
  const p = record.payload as Partial<WecomOutboxPayload>;
  if (typeof p.webhookUrl !== 'string' || p.webhookUrl === '')
    return { ok: false, error: 'payload has no webhookUrl' };
  if (typeof p.purpose !== 'string' || p.purpose === '')
    return { ok: false, error: 'payload has no purpose' };
  const message = p.message as WecomMessage | undefined;
  const valid =
    (message?.msgtype === 'text' && typeof message.text?.content === 'string') ||
    (message?.msgtype === 'markdown' && typeof message.markdown?.content === 'string');
  if (!valid) return { ok: false, error: 'payload message is not a WeCom text or markdown message' };
  return { ok: true, value: p as WecomOutboxPayload };
}

function endpointOf(webhookUrl: string): string {
  try {
    return describeEndpoint(new URL(webhookUrl));
  } catch {
    return 'invalid URL';
  }
}
