// WeCom robot payloads: routing alerts (pause/resume) and group reminders go out through these.
import { describe, expect, it } from 'vitest';
import {
  markdownMessage,
  parseWecomResponse,
  textMessage,
  truncateUtf8,
  utf8Length,
  WECOM_MARKDOWN_MAX_BYTES,
  WECOM_TEXT_MAX_BYTES,
} from '../../../api/src/domain/wecom/wecom-message.js';

describe('WeCom payloads', () => {
  it('builds a text message in the webhook format, with @ mobiles', () => {
    const payload = textMessage('订单 TB123 超时未拣货', {
      mentionedMobiles: ['13800001111', ' 13800001111', '@all'],
    });
    expect(JSON.stringify(payload)).toBe(
      '{"msgtype":"text","text":{"content":"订单 TB123 超时未拣货","mentioned_mobile_list":["13800001111","@all"]}}',
    );
  });

  it('leaves mentioned_mobile_list out when nobody is mentioned', () => {
    expect(textMessage('hi')).toEqual({ msgtype: 'text', text: { content: 'hi' } });
    expect(textMessage('hi', { mentionedMobiles: [''] })).toEqual({
      msgtype: 'text',
      text: { content: 'hi' },
    });
  });

  it('builds a markdown message in the webhook format', () => {
    expect(JSON.stringify(markdownMessage('**路由已暂停**\n> 成功率 <font color="warning">90%</font>'))).toBe(
      '{"msgtype":"markdown","markdown":{"content":"**路由已暂停**\\n> 成功率 <font color=\\"warning\\">90%</font>"}}',
    );
  });

  it('refuses empty content, which WeCom rejects with 44004', () => {
    expect(() => textMessage('  ')).toThrow(RangeError);
    expect(() => markdownMessage('')).toThrow(RangeError);
  });

  it('keeps content that fits exactly', () => {
    const exact = '中'.repeat(682) + 'ab'; // 682 × 3 + 2 = 2048 bytes
    expect(textMessage(exact).text.content).toBe(exact);
  });

  it('cuts text over 2048 UTF-8 bytes on a character boundary, ending with …', () => {
    const content = textMessage('中'.repeat(1000)).text.content;
    expect(utf8Length(content)).toBeLessThanOrEqual(WECOM_TEXT_MAX_BYTES);
    // 2048 − 3 bytes for "…" leaves room for 681 whole three-byte characters.
    expect(content).toBe(`${'中'.repeat(681)}…`);
    expect(Buffer.from(content, 'utf8').toString('utf8')).toBe(content);
  });

  it('cuts markdown over 4096 bytes the same way', () => {
    const content = markdownMessage('a'.repeat(5000)).markdown.content;
    expect(content).toBe(`${'a'.repeat(4093)}…`);
    expect(utf8Length(content)).toBe(WECOM_MARKDOWN_MAX_BYTES);
  });

  it('never splits a four-byte character or an emoji sequence', () => {
    // 'a' + 😀 (4 bytes) at the edge: the emoji does not fit whole, so it goes entirely.
    expect(truncateUtf8(`ab😀cdef`, 8)).toBe('ab…');
    const family = '👨‍👩‍👧'; // 18 bytes joined by ZWJ, one character to the reader
    expect(truncateUtf8(`x${family}${family}`, 30)).toBe(`x${family}…`);
    expect(truncateUtf8(`x${family}${family}`, 20)).toBe('x…');
  });

  it('counts UTF-8 bytes like Node does', () => {
    for (const s of ['abc', 'é', '中文', '😀', '👨‍👩‍👧', '\ud800'])
      expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'));
  });
});

describe('parseWecomResponse', () => {
  it('is ok when errcode is 0', () => {
    expect(parseWecomResponse({ errcode: 0, errmsg: 'ok' })).toEqual({ ok: true, value: null });
    expect(parseWecomResponse('{"errcode":0,"errmsg":"ok"}')).toEqual({ ok: true, value: null });
  });

  it('45009 rate limited is retryable', () => {
    expect(parseWecomResponse({ errcode: 45009, errmsg: 'api freq out of limit' })).toEqual({
      ok: false,
      errors: { kind: 'RATE_LIMITED', errcode: 45009, errmsg: 'api freq out of limit', retryable: true },
    });
  });

  it('93000 invalid webhook URL is not retryable', () => {
    expect(parseWecomResponse({ errcode: 93000, errmsg: 'invalid webhook url' })).toEqual({
      ok: false,
      errors: { kind: 'INVALID_WEBHOOK', errcode: 93000, errmsg: 'invalid webhook url', retryable: false },
    });
  });

  it('-1 system busy is retryable; a rejected message is not', () => {
    expect(parseWecomResponse({ errcode: -1, errmsg: 'system busy' })).toMatchObject({
      errors: { kind: 'SYSTEM_BUSY', retryable: true },
    });
    expect(
      parseWecomResponse({ errcode: 40058, errmsg: 'markdown.content exceed max length 4096' }),
    ).toMatchObject({
      errors: { kind: 'INVALID_MESSAGE', errcode: 40058, retryable: false },
    });
  });

  it('an unknown errcode is UNKNOWN and not retried', () => {
    expect(parseWecomResponse({ errcode: 12345 })).toEqual({
      ok: false,
      errors: { kind: 'UNKNOWN', errcode: 12345, errmsg: '', retryable: false },
    });
  });

  it('a body that is not a WeCom answer is MALFORMED_RESPONSE and may be retried', () => {
    for (const body of ['<html>502 Bad Gateway</html>', null, 42, { errcode: '0' }, {}]) {
      expect(parseWecomResponse(body)).toEqual({
        ok: false,
        errors: {
          kind: 'MALFORMED_RESPONSE',
          errcode: null,
          errmsg: 'response has no numeric errcode',
          retryable: true,
        },
      });
    }
  });
});
