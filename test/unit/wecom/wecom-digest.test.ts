import { describe, expect, it } from 'vitest';
import { RobotPacing } from '../../../api/src/domain/wecom/robot-pacing.js';
import { buildDigest } from '../../../api/src/domain/wecom/wecom-digest.js';
import {
  markdownMessage,
  textMessage,
  utf8Length,
  WECOM_MARKDOWN_MAX_BYTES,
  WECOM_TEXT_MAX_BYTES,
  type WecomMessage,
} from '../../../api/src/domain/wecom/wecom-message.js';

const reminder = (n: number, mobile?: string) =>
  textMessage(
    `【订单超时提醒】淘宝订单 TB${String(n).padStart(6, '0')} 应在 2026-11-25 14:00 前开始拣货，已超时 ${n % 90} 分钟。已标记异常并生成工单，请负责人尽快处理。`,
    { mentionedMobiles: mobile ? [mobile] : [] },
  );

const contentOf = (m: WecomMessage) => (m.msgtype === 'text' ? m.text.content : m.markdown.content);

/** Splits 2,000 reminders into digests the way the WeCom handler does. */
function digestAll(messages: WecomMessage[]) {
  const digests: { message: WecomMessage; included: number }[] = [];
  for (let i = 0; i < messages.length; ) {
    const digest = buildDigest(messages.slice(i));
    digests.push(digest);
    i += digest.included;
  }
  return digests;
}

describe('WeCom digests', () => {
  it('sends a single message as it was written', () => {
    const one = reminder(1, '13800000001');
    expect(buildDigest([one])).toEqual({ message: one, included: 1 });
  });

  it('puts each of 2,000 reminders in exactly one digest, each within the text limit, mentioning its owners', () => {
    const messages = Array.from({ length: 2000 }, (_, i) =>
      reminder(i, `1380000${String(i % 7).padStart(4, '0')}`),
    );
    const digests = digestAll(messages);
    expect(digests.reduce((sum, d) => sum + d.included, 0)).toBe(2000);
    const seen = new Map<string, number>();
    for (const { message } of digests) {
      expect(message.msgtype).toBe('text');
      if (message.msgtype !== 'text') continue;
      expect(utf8Length(message.text.content)).toBeLessThanOrEqual(WECOM_TEXT_MAX_BYTES);
      expect(message.text.content.startsWith('【订单超时提醒】共 ')).toBe(true);
      for (const no of message.text.content.match(/TB\d{6}/g) ?? []) seen.set(no, (seen.get(no) ?? 0) + 1);
      expect(message.text.mentioned_mobile_list?.length).toBeGreaterThan(0);
    }
    expect(seen.size).toBe(2000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    // Far fewer requests than reminders: 2,000 at 20 a minute would take 100 minutes.
    expect(digests.length).toBeLessThan(200);
  });

  it('uses markdown (4,096 bytes) when nobody is mentioned, and numbers the lines', () => {
    const messages = Array.from({ length: 300 }, (_, i) => reminder(i));
    const digests = digestAll(messages);
    for (const { message } of digests) {
      expect(message.msgtype).toBe('markdown');
      expect(utf8Length(contentOf(message))).toBeLessThanOrEqual(WECOM_MARKDOWN_MAX_BYTES);
    }
    const first = contentOf(digests[0].message).split('\n');
    expect(first[0]).toBe(`**【订单超时提醒】共 ${digests[0].included} 条**`);
    expect(first[1]).toMatch(/^1\. 淘宝订单 TB000000 /);
  });

  it('sends a markdown alert alone, and stops a digest before it', () => {
    const alert = markdownMessage('## 路由已暂停');
    expect(buildDigest([alert, reminder(1), reminder(2)])).toEqual({ message: alert, included: 1 });
    expect(buildDigest([reminder(1), reminder(2), alert]).included).toBe(2);
  });

  it('titles a digest of mixed reminders generically', () => {
    const mixed = [reminder(1), textMessage('【订单超时升级】京东订单 JD1 第 2 级升级')];
    expect(contentOf(buildDigest(mixed).message).startsWith('**【消息汇总】共 2 条**')).toBe(true);
  });
});

describe('robot pacing', () => {
  const t0 = new Date('2026-11-25T06:00:00.000Z');
  const plus = (ms: number) => new Date(t0.getTime() + ms);

  it('allows 20 messages in any minute, then waits for the oldest to leave the window', () => {
    const pacing = new RobotPacing(20, 60_000);
    for (let i = 0; i < 20; i++) {
      expect(pacing.nextSlot('a', plus(i * 1000))).toEqual(plus(i * 1000));
      pacing.recordSend('a', plus(i * 1000));
    }
    expect(pacing.nextSlot('a', plus(20_000))).toEqual(plus(60_000));
    expect(pacing.nextSlot('b', plus(20_000))).toEqual(plus(20_000));
    expect(pacing.nextSlot('a', plus(60_001))).toEqual(plus(60_001));
  });

  it('holds a robot back for a whole window after it refused (errcode 45009)', () => {
    const pacing = new RobotPacing(20, 60_000);
    expect(pacing.recordRefusal('a', plus(5000))).toEqual(plus(65_000));
    expect(pacing.nextSlot('a', plus(6000))).toEqual(plus(65_000));
  });
});
