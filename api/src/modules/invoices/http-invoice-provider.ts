import { formatYuan } from '../../domain/reconciliation/money.js';
import type { InvoiceProvider } from './invoice-provider.js';

/**
 * An invoicing service over HTTP: `POST <url>` with JSON `{ requestId, orderNo, amount, amountCents,
 * currency, title, taxNo }` and `Idempotency-Key: <invoice id>`; answers `{ invoiceNo }`. A 4xx is
 * final (the request is wrong), a 5xx, a timeout or a dropped connection is retried.
 */
export class HttpInvoiceProvider implements InvoiceProvider {
  readonly name = 'http';

  constructor(
    private readonly url: string,
    private readonly token: string | null,
    /** @default 10 000 ms */
    private readonly timeoutMs = 10_000,
  ) {}

  async issue(request: Parameters<InvoiceProvider['issue']>[0]) {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': request.invoiceId,
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: JSON.stringify({
          requestId: request.invoiceId,
          orderNo: request.channelOrderNo,
          amount: formatYuan(request.amountCents),
          amountCents: request.amountCents.toString(),
          currency: request.currency,
          title: request.title,
          taxNo: request.taxNo,
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return { ok: false as const, error: `no answer: ${(error as Error).name}`, retryable: true };
    }
    const body = (await response.json().catch(() => null)) as {
      invoiceNo?: unknown;
      message?: unknown;
    } | null;
    if (response.ok && typeof body?.invoiceNo === 'string' && body.invoiceNo !== '')
      return { ok: true as const, invoiceNo: body.invoiceNo };
    const reason = `HTTP ${response.status}${typeof body?.message === 'string' ? `: ${body.message.slice(0, 200)}` : ''}`;
    return {
      ok: false as const,
      error: response.ok ? `${reason} without invoiceNo` : reason,
      retryable: response.status >= 500 || response.ok,
    };
  }
}
