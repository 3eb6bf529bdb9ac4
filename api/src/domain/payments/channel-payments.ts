import type { NormalizedOrder } from '../intake/normalized-order.js';
import type { PaymentFact } from './payment-event.js';

/**
 * The payment number a channel-reported payment is kept under when the channel names none: one
 * per order and kind, so a re-sent payload finds it again. It is also the row's event key, which
 * is how readers tell "no number named" (payment number = event key, as for events).
 */
export const unnamedChannelPaymentNo = (kind: PaymentFact['kind']) => `channel-payload:${kind}`;

/**
 * The payments a channel's order payload reports, as ledger facts: the full payment of an order
 * paid at once (`paidCents` at `paidAt`, under `paymentNo`), or a presale's deposit and — once
 * paid — its balance (the channel's `paymentNo` is the balance's; the deposit's number is not
 * given). Nothing for an unpaid order or a zero amount. `eventKey` is `paymentNo`'s fallback.
 */
export function channelPaymentFacts(order: NormalizedOrder): Array<PaymentFact & { eventKey: string }> {
  const facts: Array<PaymentFact & { eventKey: string }> = [];
  const add = (kind: PaymentFact['kind'], cents: number, paidAt: Date | null, paymentNo: string | null) => {
    if (!paidAt || !Number.isSafeInteger(cents) || cents <= 0) return;
    const unnamed = unnamedChannelPaymentNo(kind);
    facts.push({
      gateway: order.channel,
      paymentNo: paymentNo ?? unnamed,
      kind,
      amountCents: String(cents),
      currency: 'CNY',
      paidAt,
      eventKey: paymentNo ? `channel-payload:${order.sourceUpdatedAt.toISOString()}` : unnamed,
    });
  };
  if (order.presale) {
    add('DEPOSIT', order.presale.depositCents, order.presale.depositPaidAt, null);
    add('BALANCE', order.presale.balanceCents, order.presale.balancePaidAt, order.paymentNo);
  } else add('FULL', order.paidCents, order.paidAt, order.paymentNo);
  return facts;
}
