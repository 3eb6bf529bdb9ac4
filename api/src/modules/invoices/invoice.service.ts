import type pg from 'pg';
import { type FieldError, fail, ok, type Result } from '../../domain/shared/result.js';
import { inTransaction } from '../../infra/db/transaction.js';
import { enqueueOutbox } from '../../infra/outbox/outbox.js';
import type { OutboxHandler } from '../../infra/outbox/outbox-handler.js';
import { RECONCILED_ORDER_SQL } from '../reconciliation/reconciled-orders.js';
import { HttpInvoiceProvider } from './http-invoice-provider.js';
import { type InvoiceProvider, localInvoiceProvider } from './invoice-provider.js';

export const INVOICE_ISSUE_TOPIC = 'invoice.issue';

export interface InvoiceView {
  id: string;
  orderId: string;
  state: 'REQUESTED' | 'ISSUED' | 'FAILED';
  amountCents: string;
  currency: string;
  invoiceNo: string | null;
  provider: string | null;
  failure: string | null;
  requestedAt: Date;
  issuedAt: Date | null;
}

const VIEW = `id, order_id as "orderId", state, amount_cents::text as "amountCents", currency, invoice_no as "invoiceNo",
  provider, failure, requested_at as "requestedAt", issued_at as "issuedAt"`;

export async function findInvoice(db: pg.Pool, orderId: string): Promise<InvoiceView | null> {
  const { rows } = await db.query(`select ${VIEW} from invoice where order_id = $1`, [orderId]);
  return (rows[0] as InvoiceView | undefined) ?? null;
}

/**
 * Requests an e-invoice for an order whose money is fully reconciled: every expected payment
 * matched (or its difference resolved or written off) and nothing about it still open. Written
 * with its outbox message in one transaction; the provider is called by the outbox, retried there.
 * One invoice per order: asking again answers the one there is.
 */
export async function requestInvoice(
  pool: pg.Pool,
  input: { orderId: string; title: string; taxNo: string | null; requestedBy: string; now: Date },
): Promise<Result<InvoiceView>> {
  const title = input.title.trim();
  const errors: FieldError[] = [];
  if (title === '' || title.length > 100)
    errors.push({
      field: 'title',
      code: 'REQUIRED',
      message: 'Give the invoice title (up to 100 characters).',
    });
  if (input.taxNo !== null && !/^[0-9A-Z]{15,20}$/.test(input.taxNo))
    errors.push({
      field: 'taxNo',
      code: 'INVALID_TAX_NO',
      message: 'A taxpayer number is 15 to 20 digits or capital letters.',
    });
  if (!/^[0-9a-f-]{36}$/i.test(input.orderId))
    errors.push({ field: 'orderId', code: 'NOT_FOUND', message: 'No order has this id.' });
  if (errors.length > 0) return fail(errors);
  return inTransaction(pool, async (tx) => {
    const existing = await tx.query(`select ${VIEW} from invoice where order_id = $1`, [input.orderId]);
    if (existing.rows[0]) return ok(existing.rows[0] as InvoiceView);
    const { rows } = await tx.query(
      `select o.paid_cents::text as paid,
              ${RECONCILED_ORDER_SQL} as reconciled,
              (select count(*) from reconciliation_item i
                where i.order_id = o.id
                  and (i.state in ('OPEN', 'CONFIRMED') or (i.item_key like 'e:%' and i.outcome <> 'MATCHED' and i.state is null))) as open
         from orders o where o.id = $1`,
      [input.orderId],
    );
    const order = rows[0] as { paid: string; reconciled: boolean; open: string } | undefined;
    if (!order) return fail([{ field: 'orderId', code: 'NOT_FOUND', message: 'No order has this id.' }]);
    if (!order.reconciled || Number(order.open) > 0)
      return fail([
        {
          field: 'orderId',
          code: 'NOT_RECONCILED',
          message: 'The order’s money is not fully reconciled yet.',
        },
      ]);
    const created = await tx.query(
      `insert into invoice (order_id, state, amount_cents, currency, title, tax_no, requested_by, requested_at)
       values ($1, 'REQUESTED', $2, 'CNY', $3, $4, $5, $6) returning ${VIEW}`,
      [input.orderId, order.paid, title, input.taxNo, input.requestedBy, input.now],
    );
    const invoice = created.rows[0] as InvoiceView;
    await enqueueOutbox(tx, [
      {
        topic: INVOICE_ISSUE_TOPIC,
        dedupeKey: `${INVOICE_ISSUE_TOPIC}:${invoice.id}`,
        payload: { invoiceId: invoice.id },
      },
    ]);
    return ok(invoice);
  });
}

/** Issues requested invoices through `provider`; REQUESTED → ISSUED, or FAILED when the provider refuses for good. */
export function invoiceIssueHandler(provider: InvoiceProvider): OutboxHandler {
  return {
    topic: INVOICE_ISSUE_TOPIC,
    // The local provider numbers invoices in SQL, so delivery runs in the claiming transaction.
    transactional: true,
    async deliver(messages, { tx }) {
      if (!tx) throw new Error('the invoice handler is transactional: it needs the claiming transaction');
      const outcomes = [];
      for (const message of messages) {
        const { rows } = await tx.query(
          `select i.id, i.order_id, i.state, i.amount_cents::text as amount, i.currency, i.title, i.tax_no, o.channel_order_no
             from invoice i join orders o on o.id = i.order_id where i.id = $1 for update of i`,
          [String(message.payload.invoiceId)],
        );
        const invoice = rows[0];
        if (invoice?.state !== 'REQUESTED') {
          outcomes.push({ ok: true } as const);
          continue;
        }
        const issued = await provider.issue(
          {
            invoiceId: invoice.id,
            orderId: invoice.order_id,
            channelOrderNo: invoice.channel_order_no,
            amountCents: BigInt(invoice.amount),
            currency: invoice.currency,
            title: invoice.title,
            taxNo: invoice.tax_no,
          },
          tx,
        );
        if (issued.ok)
          await tx.query(
            `update invoice set state = 'ISSUED', invoice_no = $2, provider = $3, issued_at = now(), failure = null where id = $1`,
            [invoice.id, issued.invoiceNo, provider.name],
          );
        else if (!issued.retryable)
          await tx.query(`update invoice set state = 'FAILED', provider = $2, failure = $3 where id = $1`, [
            invoice.id,
            provider.name,
            issued.error,
          ]);
        outcomes.push(
          issued.ok
            ? ({ ok: true } as const)
            : { ok: false as const, error: issued.error, retryable: issued.retryable },
        );
      }
      return outcomes;
    },
  };
}

/** The handler the worker registers: `INVOICE_PROVIDER_URL` (and `INVOICE_PROVIDER_TOKEN`) when set, local numbering otherwise. */
export function invoiceIssueHandlerFromEnv(env: NodeJS.ProcessEnv): OutboxHandler {
  const url = env.INVOICE_PROVIDER_URL?.trim();
  return invoiceIssueHandler(
    url ? new HttpInvoiceProvider(url, env.INVOICE_PROVIDER_TOKEN?.trim() || null) : localInvoiceProvider,
  );
}
