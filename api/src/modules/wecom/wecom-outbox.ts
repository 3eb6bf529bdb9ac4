import { createHash } from 'node:crypto';
import { RobotPacing } from '../../domain/wecom/robot-pacing.js';
import { buildDigest } from '../../domain/wecom/wecom-digest.js';
import type { WecomMessage } from '../../domain/wecom/wecom-message.js';
import type { Logger } from '../../infra/logging/logger.js';
import type { OutboxEntry } from '../../infra/outbox/outbox.js';
import type { DeliveryOutcome, OutboxHandler, OutboxRecord } from '../../infra/outbox/outbox-dispatcher.js';
import { describeEndpoint, HttpWecomSender, isRateLimited, type WecomSender } from './wecom-sender.js';

/** Outbox topic of every WeCom group-robot message. */
export const WECOM_MESSAGE_TOPIC = 'wecom.message';

/** Reminders claimed for one digest: about what one holds; the ones that do not fit wait for the next. */
const DIGEST_CLAIM = 30;

/** What a `wecom.message` outbox row carries. */
export interface WecomOutboxPayload {
  webhookUrl: string;
  message: WecomMessage;
  /** Why it is sent, e.g. `flow-health`, `sla-reminder`; shown in logs instead of the content. */
  purpose: string;
  orderId?: string;
  /**
   * The orders a digest written by its producer reminds of (an SLA sweep batch's reminders for
   * one robot). Such a message is sent as written and alone, never merged into another digest.
   */
  orderIds?: string[];
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
  /** See `WecomOutboxPayload.orderIds`. */
  orderIds?: string[];
  /** Deliver not before this time. @default now */
  availableAt?: Date;
}): OutboxEntry {
  const payload: WecomOutboxPayload = {
    webhookUrl: entry.webhookUrl,
    message: entry.message,
    purpose: entry.purpose,
    ...(entry.orderId ? { orderId: entry.orderId } : {}),
    ...(entry.orderIds ? { orderIds: entry.orderIds } : {}),
  };
  return {
    topic: WECOM_MESSAGE_TOPIC,
    lane: wecomLane(entry.webhookUrl),
    dedupeKey: entry.dedupeKey,
    payload: payload as unknown as Record<string, unknown>,
    ...(entry.availableAt ? { availableAt: entry.availableAt } : {}),
  };
}

export interface WecomHandlerOptions {
  logger?: Logger;
  /** Messages one robot is sent per window. @default 20 (WeCom's limit a minute) */
  messagesPerWindow?: number;
  /** @default 60000 */
  windowMs?: number;
  /** Longest one send may take (the outbox lease is this plus 5 s). @default 10000 */
  timeoutMs?: number;
}

/**
 * Delivers `wecom.message` rows. Each robot has its own outbox lane; the messages due in it go
 * out as digests (`buildDigest`), paced to the robot's limit; a robot that still answers "rate
 * limited" (45009) gets nothing for a whole window. Messages of separate rows are merged into a
 * digest here, each row marked delivered with the digest that carried it; a row that is already a
 * digest (the SLA sweep writes one per robot per batch) is sent as it is.
 */
export function createWecomMessageHandler(
  sender: WecomSender,
  options: WecomHandlerOptions = {},
): OutboxHandler {
  const pacing = new RobotPacing(options.messagesPerWindow ?? 20, options.windowMs ?? 60_000);
  return {
    topic: WECOM_MESSAGE_TOPIC,
    // Text reminders go as digests of about 13–30; a markdown alert or a written digest goes alone.
    claimSize: (first) => {
      const payload = first.payload as Partial<WecomOutboxPayload>;
      return payload.message?.msgtype === 'text' && (payload.orderIds?.length ?? 0) <= 1 ? DIGEST_CLAIM : 1;
    },
    timeoutMs: options.timeoutMs ?? 10_000,
    async deliver(messages) {
      const outcomes: DeliveryOutcome[] = messages.map(() => ({
        ok: false,
        error: 'waiting for the next digest',
        retryable: true,
        notAttempted: true,
        retryAt: new Date(),
      }));
      const valid: { index: number; payload: WecomOutboxPayload }[] = [];
      for (const [index, record] of messages.entries()) {
        const payload = readPayload(record);
        if (payload.ok) valid.push({ index, payload: payload.value });
        else outcomes[index] = { ok: false, error: payload.error, retryable: false };
      }
      if (valid.length === 0) return outcomes;
      // One robot per call (rows written before lanes existed may mix robots in one lane), and a
      // digest its producer wrote goes alone: the messages after it wait for the next call.
      const robot = valid[0].payload.webhookUrl;
      const sameRobot = valid.filter((v) => v.payload.webhookUrl === robot);
      const written = sameRobot.findIndex((v) => isWrittenDigest(v.payload));
      const batch =
        written === 0 ? sameRobot.slice(0, 1) : written > 0 ? sameRobot.slice(0, written) : sameRobot;
      const now = new Date();
      const slot = pacing.nextSlot(robot, now);
      if (slot > now) {
        for (const { index } of batch)
          outcomes[index] = {
            ok: false,
            error: 'paced: the robot takes 20 a minute',
            retryable: true,
            notAttempted: true,
            retryAt: slot,
          };
        return outcomes;
      }
      const digest = buildDigest(batch.map((v) => v.payload.message));
      const carried = batch.slice(0, digest.included);
      pacing.recordSend(robot, now);
      let outcome = await sender.send(robot, digest.message);
      if (isRateLimited(outcome) && !outcome.ok) {
        const until = pacing.recordRefusal(robot, new Date());
        outcome = { ...outcome, retryAt: until };
        for (const { index } of batch.slice(digest.included))
          outcomes[index] = {
            ok: false,
            error: 'paced: the robot refused for rate',
            retryable: true,
            notAttempted: true,
            retryAt: until,
          };
      }
      for (const { index } of carried) outcomes[index] = outcome;
      options.logger?.info(
        {
          outboxIds: carried.map((c) => messages[c.index].id),
          purposes: [...new Set(carried.map((c) => c.payload.purpose))],
          endpoint: endpointOf(robot),
          msgtype: digest.message.msgtype,
          delivered: outcome.ok,
        },
        'wecom message sent',
      );
      return outcomes;
    },
  };
}

/** The handler the worker registers: real HTTP with a 10 s timeout, paced to WeCom's limit. */
export function wecomMessageHandler(options: WecomHandlerOptions = {}): OutboxHandler {
  return createWecomMessageHandler(new HttpWecomSender(), options);
}

/** One lane per robot, named without its key (the key is a credential). */
export function wecomLane(webhookUrl: string): string {
  return `${WECOM_MESSAGE_TOPIC}:${createHash('sha256').update(webhookUrl).digest('hex').slice(0, 16)}`;
}

const isWrittenDigest = (payload: WecomOutboxPayload) => (payload.orderIds?.length ?? 0) > 1;

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
