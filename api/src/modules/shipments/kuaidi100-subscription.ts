import type pg from 'pg';
import type { OutboxEntry } from '../../infra/outbox/outbox.js';
import type { DeliveryOutcome, OutboxHandler } from '../../infra/outbox/outbox-handler.js';
import type { Kuaidi100Subscriber } from './kuaidi100-client.js';

/** Outbox topic: ask Kuaidi100 to push a new waybill's changes. */
export const KUAIDI100_SUBSCRIBE_TOPIC = 'kuaidi100.subscribe';

interface SubscribePayload {
  shipmentId: string;
  orderId: string;
  carrier: string;
  waybillNo: string;
}

export function kuaidi100SubscribeEntry(p: SubscribePayload): OutboxEntry {
  return {
    topic: KUAIDI100_SUBSCRIBE_TOPIC,
    dedupeKey: `${KUAIDI100_SUBSCRIBE_TOPIC}:${p.shipmentId}`,
    payload: { ...p },
  };
}

let configured: { subscriber: Kuaidi100Subscriber; publicBaseUrl: string } | null = null;

/** Chooses the subscriber at start-up; without one (no key or public URL) subscriptions are skipped. */
export function useKuaidi100Subscriber(
  next: { subscriber: Kuaidi100Subscriber; publicBaseUrl: string } | null,
): void {
  configured = next;
}

/** Places each subscription, the callback naming the order so the first push finds it. */
export function kuaidi100SubscribeHandler(pool: pg.Pool): OutboxHandler {
  return {
    topic: KUAIDI100_SUBSCRIBE_TOPIC,
    timeoutMs: 10_000,
    async deliver(messages) {
      const outcomes: DeliveryOutcome[] = [];
      for (const message of messages) {
        const p = message.payload as unknown as SubscribePayload;
        if (!configured) {
          outcomes.push({ ok: true });
          continue;
        }
        const outcome = await configured.subscriber.subscribe({
          carrier: p.carrier,
          waybillNo: p.waybillNo,
          callbackUrl: `${configured.publicBaseUrl}/webhooks/kuaidi100?order=${p.orderId}`,
        });
        if (outcome.ok)
          await pool.query('update shipment set subscribed_at = now() where id = $1', [p.shipmentId]);
        outcomes.push(outcome);
      }
      return outcomes;
    },
  };
}
