import { type FieldError, fail, ok, type Result } from '../shared/result.js';

/**
 * An SMS template as operators edit it. Chinese SMS gateways send only pre-approved, signed
 * templates: the gateway gets `providerTemplateCode` and the parameters, and `text` (with
 * `{name}` placeholders) is our copy of the approved wording, for the preview and the recording
 * provider.
 */
export interface SmsTemplate {
  /** Our name for it, e.g. `LOGIN_CODE`, `STALL_NOTICE`. */
  code: string;
  providerTemplateCode: string;
  text: string;
}

export const SMS_TEMPLATE_CODES = ['LOGIN_CODE', 'STALL_NOTICE'] as const;
export type SmsTemplateCode = (typeof SMS_TEMPLATE_CODES)[number];

/** Parameters each template must be given. */
export const TEMPLATE_PARAMS: Readonly<Record<SmsTemplateCode, readonly string[]>> = {
  LOGIN_CODE: ['code', 'minutes'],
  STALL_NOTICE: ['orderNo', 'carrier', 'waybillNo', 'reason'],
};

export const DEFAULT_TEMPLATES: readonly SmsTemplate[] = [
  {
    code: 'LOGIN_CODE',
    providerTemplateCode: 'SMS_LOGIN_CODE',
    text: '【订单中台】您的验证码是{code}，{minutes}分钟内有效。请勿告诉他人。',
  },
  {
    code: 'STALL_NOTICE',
    providerTemplateCode: 'SMS_STALL_NOTICE',
    text: '【订单中台】您的订单{orderNo}（{carrier} {waybillNo}）{reason}。我们已联系快递跟进，如有疑问请联系客服。',
  },
];

const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;
export const MAX_TEMPLATE_TEXT = 500;

/** Checks an edited template: known code, placeholders exactly those the template is given. */
export function validateTemplate(input: SmsTemplate): Result<SmsTemplate> {
  const errors: FieldError[] = [];
  const params = TEMPLATE_PARAMS[input.code as SmsTemplateCode];
  if (!params)
    errors.push({
      field: 'code',
      code: 'UNKNOWN_TEMPLATE',
      message: `code must be one of ${SMS_TEMPLATE_CODES.join(', ')}`,
    });
  const text = input.text.trim();
  if (text === '') errors.push({ field: 'text', code: 'REQUIRED', message: 'text is required' });
  if (text.length > MAX_TEMPLATE_TEXT)
    errors.push({
      field: 'text',
      code: 'TOO_LONG',
      message: `text must be at most ${MAX_TEMPLATE_TEXT} characters`,
    });
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(input.providerTemplateCode.trim()))
    errors.push({
      field: 'providerTemplateCode',
      code: 'INVALID_FORMAT',
      message: 'providerTemplateCode must be 1–64 letters, digits, _ or -',
    });
  if (params) {
    const used = new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]));
    for (const name of used)
      if (!params.includes(name))
        errors.push({
          field: 'text',
          code: 'UNKNOWN_PLACEHOLDER',
          message: `{${name}} is not a parameter of ${input.code} (${params.join(', ')})`,
        });
    for (const name of params)
      if (!used.has(name))
        errors.push({ field: 'text', code: 'MISSING_PLACEHOLDER', message: `text must use {${name}}` });
  }
  if (errors.length > 0) return fail(errors);
  return ok({ code: input.code, providerTemplateCode: input.providerTemplateCode.trim(), text });
}

/** The message text with its parameters filled in; a missing one stays visible as `{name}`. */
export function renderTemplate(text: string, params: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => params[name] ?? whole);
}
