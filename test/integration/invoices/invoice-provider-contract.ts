import { describe, expect, it } from 'vitest';
import type { SqlExecutor } from '../../../api/src/infra/outbox/outbox.js';
import type { InvoiceProvider, InvoiceRequest } from '../../../api/src/modules/invoices/invoice-provider.js';

const request = (n: number): InvoiceRequest => ({
  invoiceId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  orderId: '00000000-0000-4000-8000-0000000000a1',
  channelOrderNo: `C${n}`,
  amountCents: 9_007_199_254_740_993n, // beyond 2^53: must travel exactly
  currency: 'CNY',
  title: '测试公司',
  taxNo: '91330100MA2XXXXX0X',
});

/** What every invoice provider must do, run against each implementation. */
export function invoiceProviderContract(
  name: string,
  setup: () => { provider: InvoiceProvider; db: SqlExecutor },
) {
  describe(`invoice provider contract: ${name}`, () => {
    it('issues a non-empty invoice number', async () => {
      const { provider, db } = setup();
      const issued = await provider.issue(request(1), db);
      expect(issued).toEqual({ ok: true, invoiceNo: expect.stringMatching(/\S/) });
    });

    it('gives two invoices two numbers', async () => {
      const { provider, db } = setup();
      const a = await provider.issue(request(2), db);
      const b = await provider.issue(request(3), db);
      expect(a.ok && b.ok && a.invoiceNo !== b.invoiceNo).toBe(true);
    });
  });
}
