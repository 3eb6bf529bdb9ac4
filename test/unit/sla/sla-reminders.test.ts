import { describe, expect, it } from 'vitest';
import {
  textMessage,
  utf8Length,
  WECOM_TEXT_MAX_BYTES,
} from '../../../api/src/domain/wecom/wecom-message.js';
import { reminderDigests } from '../../../api/src/modules/sla/sla-reminders.js';
import type { SlaReminder } from '../../../api/src/modules/sla/sla-sweep.types.js';
import type { WecomOutboxPayload } from '../../../api/src/modules/wecom/wecom-outbox.js';

const EAST = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=east';
const WEST = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=west';

function reminder(n: number, overrides: Partial<SlaReminder> = {}): SlaReminder {
  return {
    webhookUrl: EAST,
    message: textMessage(
      `【订单超时提醒】淘宝订单 TB-${n} 应在 2026-11-25 10:30 前仓库接单，已超时 ${n} 分钟。已标记异常并生成工单，请负责人尽快处理。`,
      { mentionedMobiles: ['13800000001'] },
    ),
    dedupeKey: `sla:order-${n}:WAREHOUSE_ACCEPTED@PAID_AT:1:REMIND_OWNER`,
    purpose: 'sla-reminder',
    orderId: `order-${n}`,
    historyKey: 'sla:WAREHOUSE_ACCEPTED@PAID_AT:L1',
    ...overrides,
  };
}

const payloadOf = (entry: { payload: Record<string, unknown> }) =>
  entry.payload as unknown as WecomOutboxPayload;
const allNew = () => true;

describe('reminderDigests: a sweep batch’s WeCom reminders, one outbox row per digest', () => {
  it('sends a lone reminder as its own message under its own key', () => {
    const one = reminder(1);
    const [entry, ...rest] = reminderDigests([one], allNew);
    expect(rest).toEqual([]);
    expect(entry.dedupeKey).toBe(one.dedupeKey);
    expect(payloadOf(entry)).toEqual({
      webhookUrl: EAST,
      message: one.message,
      purpose: 'sla-reminder',
      orderId: 'order-1',
    });
  });

  it('puts 200 reminders for one robot in a few digests, each order once, in order, each within WeCom’s limit', () => {
    const reminders = Array.from({ length: 200 }, (_, i) => reminder(i + 1));
    const entries = reminderDigests(reminders, allNew);
    expect(entries.length).toBeGreaterThan(1);
    expect(entries.length).toBeLessThan(40);
    const orders = entries.flatMap((e) => payloadOf(e).orderIds ?? [payloadOf(e).orderId]);
    expect(orders).toEqual(reminders.map((r) => r.orderId));
    for (const entry of entries) {
      const { message, orderIds } = payloadOf(entry);
      if (message.msgtype !== 'text') throw new Error('a reminder digest is a text message');
      expect(utf8Length(message.text.content)).toBeLessThanOrEqual(WECOM_TEXT_MAX_BYTES);
      expect(message.text.content.startsWith(`【订单超时提醒】共 ${orderIds?.length} 条`)).toBe(true);
      expect(message.text.mentioned_mobile_list).toEqual(['13800000001']);
    }
    expect(new Set(entries.map((e) => e.dedupeKey)).size).toBe(entries.length);
  });

  it('keeps robots and purposes apart', () => {
    const entries = reminderDigests(
      [
        reminder(1),
        reminder(2, { webhookUrl: WEST }),
        reminder(3),
        reminder(4, { purpose: 'sla-escalation' }),
      ],
      allNew,
    );
    expect(
      entries.map((e) => [payloadOf(e).webhookUrl, payloadOf(e).purpose, payloadOf(e).orderIds]),
    ).toEqual([
      [EAST, 'sla-reminder', ['order-1', 'order-3']],
      [WEST, 'sla-reminder', undefined],
      [EAST, 'sla-escalation', undefined],
    ]);
  });

  it('leaves out reminders of levels whose history row was already written', () => {
    const entries = reminderDigests(
      [reminder(1), reminder(2), reminder(3)],
      (orderId) => orderId !== 'order-2',
    );
    expect(entries.flatMap((e) => payloadOf(e).orderIds)).toEqual(['order-1', 'order-3']);
    expect(reminderDigests([reminder(1)], () => false)).toEqual([]);
  });
});
