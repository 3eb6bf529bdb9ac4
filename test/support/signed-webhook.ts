import { signWebhook } from '../../api/src/domain/intake/webhook-signature.js';

/** A webhook's JSON answer: `results` and `errors` on 200, `error` (and `errors` on 400) otherwise. */
export interface WebhookReply {
  results: Array<Record<string, unknown>>;
  errors: Array<{ field: string; code: string; message: string }>;
  error: { code: string; message: string; field?: string };
}

export interface SignedPostOptions {
  /** Unix seconds to sign with. @default now */
  timestamp?: number;
  /** Sends this body instead of the one signed. */
  sendInstead?: string;
}

/** Posts `body` to a webhook, signed with `secret` as senders sign (HMAC-SHA256 over `${ts}.${body}`). */
export async function postSigned(
  url: string,
  body: string,
  secret: string,
  opts: SignedPostOptions = {},
): Promise<{ status: number; body: WebhookReply }> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-timestamp': String(timestamp),
      'x-signature': signWebhook(secret, timestamp, body),
    },
    body: opts.sendInstead ?? body,
  });
  return { status: response.status, body: (await response.json()) as WebhookReply };
}
