import type { SqlExecutor } from '../../infra/outbox/outbox.js';

/** What an e-invoice is issued for. */
export interface InvoiceRequest {
  invoiceId: string;
  orderId: string;
  channelOrderNo: string;
  amountCents: bigint;
  currency: string;
  /** The buyer's invoice title; personal data, never logged. */
  title: string;
  taxNo: string | null;
}

export type InvoiceIssue = { ok: true; invoiceNo: string } | { ok: false; error: string; retryable: boolean };

/**
 * Issues e-invoices. `issue` is called at least once per invoice (the outbox retries), so a
 * provider must treat `invoiceId` as an idempotency key. `db` is the delivering transaction.
 */
export interface InvoiceProvider {
  readonly name: string;
  issue(request: InvoiceRequest, db: SqlExecutor): Promise<InvoiceIssue>;
}

/**
 * The default: numbers invoices locally from a database sequence (`INV` + business year + an
 * eight-digit number), for shops that issue through their tax terminal by hand.
 */
export const localInvoiceProvider: InvoiceProvider = {
  name: 'local',
  async issue(_request, db) {
    const { rows } = await db.query(`select nextval('invoice_local_no_seq')::text as n`, []);
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
    return { ok: true, invoiceNo: `INV${year}${String((rows[0] as { n: string }).n).padStart(8, '0')}` };
  },
};
