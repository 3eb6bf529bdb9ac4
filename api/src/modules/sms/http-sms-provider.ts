import type { SmsOutcome, SmsProvider, SmsSend } from './sms-provider.js';

export interface HttpSmsProviderOptions {
  /** The gateway's send endpoint. */
  url: string;
  /** Sent as `Authorization: Bearer <key>`. */
  apiKey: string | null;
  /** The approved signature (签名), e.g. 订单中台. @default 订单中台 */
  signName?: string;
  /** @default 10000 */
  timeoutMs?: number;
}

/** Gateway answers that mean "try again later": flow control and the gateway's own trouble. */
const RETRYABLE_CODES = new Set([
  'isv.BUSINESS_LIMIT_CONTROL',
  'isp.SYSTEM_ERROR',
  'isv.OUT_OF_SERVICE',
  'THROTTLED',
]);

/**
 * A template SMS gateway in the shape Chinese SMS APIs share: `POST <url>` with JSON
 * `{ PhoneNumbers, SignName, TemplateCode, TemplateParam (JSON text), OutId }`; success is HTTP
 * 200 with `Code: "OK"` and a `BizId`. HTTP 5xx, 429, timeouts, network errors and flow-control
 * codes are retryable; other refusals (bad template, bad number) are not.
 */
export class HttpSmsProvider implements SmsProvider {
  readonly name = 'http';

  constructor(private readonly options: HttpSmsProviderOptions) {}

  async send(message: SmsSend): Promise<SmsOutcome> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify({
          PhoneNumbers: message.phone,
          SignName: this.options.signName ?? '订单中台',
          TemplateCode: message.templateCode,
          TemplateParam: JSON.stringify(message.params),
          OutId: message.messageId,
        }),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      const name = (error as Error | undefined)?.name;
      if (name === 'TimeoutError' || name === 'AbortError')
        return { ok: false, error: `no answer from the SMS gateway within ${timeoutMs} ms`, retryable: true };
      return { ok: false, error: 'could not reach the SMS gateway', retryable: true };
    }
    if (response.status >= 500 || response.status === 429 || response.status === 408)
      return { ok: false, error: `SMS gateway answered HTTP ${response.status}`, retryable: true };
    let answer: { Code?: unknown; BizId?: unknown; Message?: unknown };
    try {
      answer = JSON.parse(text);
    } catch {
      return {
        ok: false,
        error: `SMS gateway answered HTTP ${response.status} with no JSON`,
        retryable: true,
      };
    }
    const code = typeof answer.Code === 'string' ? answer.Code : '';
    if (response.ok && code === 'OK') return { ok: true, providerMessageId: String(answer.BizId ?? '') };
    return {
      ok: false,
      error: `SMS gateway refused: ${code || `HTTP ${response.status}`}`,
      retryable: RETRYABLE_CODES.has(code),
    };
  }
}
