import { parseWecomResponse, type WecomMessage } from '../../domain/wecom/wecom-message.js';
import type { DeliveryOutcome } from '../../infra/outbox/outbox-dispatcher.js';

/**
 * Sends one message to a WeCom group robot and says whether it arrived and, if not, whether a
 * later attempt can succeed. Implementations never throw for a delivery failure.
 */
export interface WecomSender {
  send(webhookUrl: string, message: WecomMessage): Promise<DeliveryOutcome>;
}

export interface HttpWecomSenderOptions {
  /** Give up on one request after this long; a timeout is retryable. @default 10000 */
  timeoutMs?: number;
}

/**
 * The group-robot HTTP client: `POST <webhook>` with the message as JSON. Success is HTTP 2xx
 * with `errcode` 0. HTTP 5xx, 429, timeouts, network errors, WeCom's "busy" and rate-limit
 * errcodes and answers that are not WeCom's are retryable; other HTTP 4xx and WeCom's
 * permanent errcodes (93000 invalid webhook, 400xx bad message) are not.
 *
 * Error texts name the host and path only: the webhook `key` is a credential and the content may
 * carry personal data, so neither reaches the outbox or a log line.
 */
export class HttpWecomSender implements WecomSender {
  private readonly timeoutMs: number;

  constructor(options: HttpWecomSenderOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async send(webhookUrl: string, message: WecomMessage): Promise<DeliveryOutcome> {
    let target: URL;
    try {
      target = new URL(webhookUrl);
    } catch {
      return { ok: false, error: 'WeCom webhook URL is not a valid URL', retryable: false };
    }
    if (target.protocol !== 'https:' && target.protocol !== 'http:')
      return { ok: false, error: `WeCom webhook URL has protocol ${target.protocol}`, retryable: false };
    const where = describeEndpoint(target);
    let response: Response;
    let text: string;
    try {
      response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      const name = (error as Error | undefined)?.name;
      if (name === 'TimeoutError' || name === 'AbortError')
        return { ok: false, error: `no answer from ${where} within ${this.timeoutMs} ms`, retryable: true };
      return { ok: false, error: `could not reach ${where}: ${networkReason(error)}`, retryable: true };
    }
    if (response.status >= 500 || response.status === 429 || response.status === 408)
      return { ok: false, error: `HTTP ${response.status} from ${where}`, retryable: true };
    if (response.status >= 300)
      return { ok: false, error: `HTTP ${response.status} from ${where}`, retryable: false };
    const answer = parseWecomResponse(text);
    if (answer.ok) return { ok: true };
    const { kind, errcode, errmsg, retryable } = answer.errors;
    const code = errcode === null ? 'no errcode' : `errcode ${errcode}`;
    return {
      ok: false,
      error: `WeCom ${kind} (${code}) from ${where}${errmsg ? `: ${errmsg.slice(0, 200)}` : ''}`,
      retryable,
    };
  }
}

/** Whether the robot refused for sending too often (WeCom errcode 45009 or HTTP 429). */
export function isRateLimited(outcome: DeliveryOutcome): boolean {
  return (
    !outcome.ok && (outcome.error.startsWith('WeCom RATE_LIMITED') || outcome.error.startsWith('HTTP 429'))
  );
}

/** `host/path` of a webhook, without the query that carries its key. */
export function describeEndpoint(url: URL): string {
  return `${url.host}${url.pathname}`;
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message.slice(0, 200);
  return error instanceof Error ? error.message.slice(0, 200) : 'network error';
}
