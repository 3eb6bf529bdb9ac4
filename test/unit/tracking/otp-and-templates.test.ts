import { describe, expect, it } from 'vitest';
import {
  decideCodeCheck,
  decideCodeRequest,
  normaliseMobile,
  OTP_RULES,
} from '../../../api/src/domain/customer/otp-rules.js';
import { renderTemplate, validateTemplate } from '../../../api/src/domain/sms/sms-template.js';

const at = (iso: string) => new Date(iso);
const none = { phoneLastHour: 0, phoneLastDay: 0, addressLastHour: 0 };
const live = (over: Partial<Parameters<typeof decideCodeCheck>[0] & object> = {}) => ({
  sentAt: at('2026-11-25T02:00:00Z'),
  expiresAt: at('2026-11-25T02:05:00Z'),
  failedAttempts: 0,
  lockedUntil: null,
  ...over,
});

describe('login code rules', () => {
  it('sends a code that lives 5 minutes; a new one only 60 s after the last', () => {
    expect(decideCodeRequest(null, none, at('2026-11-25T02:00:00Z'))).toEqual({
      ok: true,
      expiresAt: at('2026-11-25T02:05:00Z'),
    });
    expect(decideCodeRequest(live(), none, at('2026-11-25T02:00:59Z'))).toEqual({
      ok: false,
      code: 'RESEND_TOO_SOON',
      retryAfterSeconds: 1,
    });
    expect(decideCodeRequest(live(), none, at('2026-11-25T02:01:00Z')).ok).toBe(true);
  });

  it('holds the per-phone and per-address limits and a lock', () => {
    const now = at('2026-11-25T03:00:00Z');
    expect(decideCodeRequest(null, { ...none, phoneLastHour: OTP_RULES.perPhonePerHour }, now)).toMatchObject(
      { code: 'PHONE_LIMIT' },
    );
    expect(decideCodeRequest(null, { ...none, phoneLastDay: OTP_RULES.perPhonePerDay }, now)).toMatchObject({
      code: 'PHONE_LIMIT',
      retryAfterSeconds: 86_400,
    });
    expect(
      decideCodeRequest(null, { ...none, addressLastHour: OTP_RULES.perAddressPerHour }, now),
    ).toMatchObject({ code: 'ADDRESS_LIMIT' });
    expect(decideCodeRequest(live({ lockedUntil: at('2026-11-25T03:10:00Z') }), none, now)).toEqual({
      ok: false,
      code: 'LOCKED',
      retryAfterSeconds: 600,
    });
  });

  it('checks a code: right, wrong with tries left, the fifth wrong locks for 15 minutes, expired', () => {
    const now = at('2026-11-25T02:03:00Z');
    expect(decideCodeCheck(live(), true, now)).toEqual({ ok: true });
    expect(decideCodeCheck(live(), false, now)).toEqual({
      ok: false,
      code: 'WRONG_CODE',
      remainingTries: 4,
      lockedUntil: null,
    });
    expect(decideCodeCheck(live({ failedAttempts: 4 }), false, now)).toEqual({
      ok: false,
      code: 'WRONG_CODE',
      remainingTries: 0,
      lockedUntil: at('2026-11-25T02:18:00Z'),
    });
    expect(decideCodeCheck(live({ failedAttempts: 5 }), true, now)).toMatchObject({ code: 'LOCKED' });
    expect(decideCodeCheck(live(), true, at('2026-11-25T02:05:00Z'))).toMatchObject({ code: 'EXPIRED' });
    expect(decideCodeCheck(null, true, now)).toMatchObject({ code: 'NO_CODE' });
  });

  it('reads the phone as shoppers type it, and nothing else', () => {
    expect(normaliseMobile('+86 138-0013-8000')).toBe('13800138000');
    expect(normaliseMobile('138 0013 8000')).toBe('13800138000');
    for (const bad of ['12800138000', '1380013800', 'abc', 13800138000, '1'.repeat(40)])
      expect(normaliseMobile(bad)).toBeNull();
  });
});

describe('SMS templates', () => {
  it('renders parameters and refuses edits that drop or invent a placeholder', () => {
    expect(renderTemplate('验证码{code}，{minutes}分钟', { code: '123456', minutes: '5' })).toBe(
      '验证码123456，5分钟',
    );
    const ok = validateTemplate({
      code: 'LOGIN_CODE',
      providerTemplateCode: 'SMS_1',
      text: ' 码{code}，{minutes}分钟 ',
    });
    expect(ok).toEqual({
      ok: true,
      value: { code: 'LOGIN_CODE', providerTemplateCode: 'SMS_1', text: '码{code}，{minutes}分钟' },
    });
    const bad = validateTemplate({ code: 'LOGIN_CODE', providerTemplateCode: 'bad code!', text: '码{pin}' });
    expect(bad.ok ? [] : bad.errors.map((e) => `${e.field}:${e.code}`)).toEqual([
      'providerTemplateCode:INVALID_FORMAT',
      'text:UNKNOWN_PLACEHOLDER',
      'text:MISSING_PLACEHOLDER',
      'text:MISSING_PLACEHOLDER',
    ]);
    expect(validateTemplate({ code: 'NOPE', providerTemplateCode: 'X', text: 'x' })).toMatchObject({
      ok: false,
      errors: [{ field: 'code', code: 'UNKNOWN_TEMPLATE' }],
    });
  });
});
