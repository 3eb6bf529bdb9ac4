/**
 * Kuaidi100's poll subscription: `POST <pollUrl>` form-encoded `schema=json` and `param` =
 * `{ company, number, key, parameters: { callbackurl, salt, resultv2: '1' } }`. Kuaidi100 then
 * pushes every change of the waybill to the callback. Answers `{ result, returnCode, message }`;
 * 200 accepted, 501 already subscribed (also fine); 5xx and timeouts are retryable.
 */
export interface Kuaidi100Subscriber {
  subscribe(input: {
    carrier: string;
    waybillNo: string;
    callbackUrl: string;
    phone?: string | null;
  }): Promise<SubscribeOutcome>;
}

export type SubscribeOutcome = { ok: true } | { ok: false; error: string; retryable: boolean };

export interface HttpKuaidi100SubscriberOptions {
  pollUrl: string;
  key: string;
  salt: string;
  /** @default 10000 */
  timeoutMs?: number;
}

export class HttpKuaidi100Subscriber implements Kuaidi100Subscriber {
  constructor(private readonly options: HttpKuaidi100SubscriberOptions) {}

  async subscribe(input: {
    carrier: string;
    waybillNo: string;
    callbackUrl: string;
    phone?: string | null;
  }): Promise<SubscribeOutcome> {
    const param = JSON.stringify({
      company: input.carrier,
      number: input.waybillNo,
      key: this.options.key,
      parameters: {
        callbackurl: input.callbackUrl,
        salt: this.options.salt,
        resultv2: '1',
        // SF Express and a few others answer only with the receiver's phone.
        ...(input.phone ? { phone: input.phone } : {}),
      },
    });
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.options.pollUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams({ schema: 'json', param }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      const name = (error as Error | undefined)?.name;
      if (name === 'TimeoutError' || name === 'AbortError')
        return { ok: false, error: `no answer from Kuaidi100 within ${timeoutMs} ms`, retryable: true };
      return { ok: false, error: 'could not reach Kuaidi100', retryable: true };
    }
    if (response.status >= 500 || response.status === 429)
      return { ok: false, error: `Kuaidi100 answered HTTP ${response.status}`, retryable: true };
    let answer: { result?: unknown; returnCode?: unknown; message?: unknown };
    try {
      answer = JSON.parse(text);
    } catch {
      return { ok: false, error: `Kuaidi100 answered HTTP ${response.status} with no JSON`, retryable: true };
    }
    const code = String(answer.returnCode ?? '');
    if (answer.result === true || code === '200' || code === '501') return { ok: true };
    const message = typeof answer.message === 'string' ? answer.message.slice(0, 100) : '';
    // 500 is Kuaidi100's "server error, try again"; 700 and 600 are bad input and account errors.
    return {
      ok: false,
      error: `Kuaidi100 refused (${code}) ${message}`.trim(),
      retryable: code === '500' || code === '503',
    };
  }
}

/** The subscriber the settings allow: a key, a salt and a public URL for the callback are all needed. */
export function kuaidi100SubscriberFor(settings: {
  kuaidi100Key: string | null;
  kuaidi100Salt: string | null;
  kuaidi100PollUrl: string;
  publicBaseUrl: string | null;
}): { subscriber: Kuaidi100Subscriber; publicBaseUrl: string } | null {
  if (!settings.kuaidi100Key || !settings.kuaidi100Salt || !settings.publicBaseUrl) return null;
  return {
    subscriber: new HttpKuaidi100Subscriber({
      pollUrl: settings.kuaidi100PollUrl,
      key: settings.kuaidi100Key,
      salt: settings.kuaidi100Salt,
    }),
    publicBaseUrl: settings.publicBaseUrl,
  };
}
