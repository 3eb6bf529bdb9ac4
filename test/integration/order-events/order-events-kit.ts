import pg from 'pg';
import type { Channel, OrderState } from '../../../api/src/domain/order/order-types.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';
import { insertOrderRow, type OrderSeed } from '../../support/order-rows.js';

export type EventsDb = MigratedDb;

/** A migrated database of its own, with a pool on it. */
export const openEventsDb = (prefix: string): Promise<EventsDb> => openMigratedDb(prefix, 10);

let seq = 0;

/** Inserts an order in `state` and returns its id and channel order number. */
export async function seedOrder(
  pool: pg.Pool,
  state: OrderState,
  channel: Channel = 'TAOBAO',
  /** Other columns, as `orderSeed` takes them. */
  row: OrderSeed = {},
): Promise<{ id: string; channel: Channel; channelOrderNo: string }> {
  seq += 1;
  const channelOrderNo = `T${Date.now()}${seq}`;
  const id = await insertOrderRow(pool, { ...row, channel, channel_order_no: channelOrderNo, state });
  return { id, channel, channelOrderNo };
}

/** A raw event as a source would send it, at `minute` past 10:00 on 2026-11-25 (Shanghai). */
export function ev(
  type: string,
  source: string,
  minute: number,
  idempotencyKey = `${type}-${minute}`,
  payload: Record<string, unknown> = {},
) {
  const at = new Date(Date.UTC(2026, 10, 25, 2, minute));
  return { source, type, idempotencyKey, occurredAt: at.toISOString(), payload };
}

/** Received after every `ev` time above. */
export const RECEIVED_AT = new Date('2026-11-25T06:00:00Z');

export async function orderRow(pool: pg.Pool, id: string) {
  const { rows } = await pool.query<{
    state: string;
    version: number;
    state_entered_at: Record<string, string>;
    updated_at: Date;
  }>('select state, version, state_entered_at, updated_at from orders where id = $1', [id]);
  return rows[0];
}

export async function historyOf(pool: pg.Pool, id: string) {
  const { rows } = await pool.query<{
    id: string;
    type: string;
    idempotency_key: string;
    outcome: string;
    from_state: string | null;
    to_state: string | null;
    reason: string | null;
    occurred_at: Date;
    received_at: Date;
    payload: Record<string, unknown>;
  }>('select * from order_event where order_id = $1 order by id', [id]);
  return rows;
}

export async function outboxOf(pool: pg.Pool, id: string) {
  const { rows } = await pool.query<{ topic: string; dedupe_key: string; payload: Record<string, unknown> }>(
    `select topic, dedupe_key, payload from outbox_message where payload->>'orderId' = $1 order by id`,
    [id],
  );
  return rows;
}
