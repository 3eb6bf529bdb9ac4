import pg from 'pg';
import type { BusinessType, Channel, OrderState } from '../../../api/src/domain/order/order-types.js';
import { inTransaction } from '../../../api/src/infra/db/transaction.js';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { dispatchOutboxBatch } from '../../../api/src/infra/outbox/outbox-dispatcher.js';
import { liveEventsHandler } from '../../../api/src/infra/pubsub/live-events.js';
import { moveOrderStates } from '../../../api/src/modules/orders/order-store.js';
import { runSlaSweep, type SweepTotals } from '../../../api/src/modules/sla/sla-sweep.service.js';
import { createWecomMessageHandler } from '../../../api/src/modules/wecom/wecom-outbox.js';
import { HttpWecomSender } from '../../../api/src/modules/wecom/wecom-sender.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';
import { insertOrderRow } from '../../support/order-rows.js';
import { OUTBOX_ITEMS } from '../../support/outbox-items.js';

export const logger = createLogger('silent', 'sla-test');

export type SlaDb = MigratedDb;

/** A migrated database of its own, with a pool and an ORM on it. */
export const openSlaDb = (prefix: string): Promise<SlaDb> => openMigratedDb(prefix, 12);

const MINUTE = 60_000;

/**
 * Test time. The orders' state changes stamp `sla_next_check_at` with the database's now(), so
 * the sweeps of a test run at `T0` or later, a minute after the test started.
 */
export function clock() {
  const t0 = Math.ceil((Date.now() + MINUTE) / MINUTE) * MINUTE;
  return { t0: new Date(t0), at: (minutes: number) => new Date(t0 + minutes * MINUTE) };
}

export interface GroupSpec {
  id: string;
  webhookUrl?: string | null;
  ownerUserId?: string | null;
  ownerMobile?: string | null;
  supervisorUserId?: string | null;
  supervisorMobile?: string | null;
}

export const OWNER_ID = '00000000-0000-4000-8000-0000000000a1';
export const SUPERVISOR_ID = '00000000-0000-4000-8000-0000000000b2';

export async function createGroup(pool: pg.Pool, spec: GroupSpec): Promise<void> {
  await pool.query(
    `insert into processing_group (id, name, owner_user_id, owner_name, owner_mobile, supervisor_user_id,
        supervisor_name, supervisor_mobile, wecom_webhook_url, active)
     values ($1, $1, $2, '王负责', $3, $4, '李主管', $5, $6, true)
     on conflict (id) do update set owner_user_id = excluded.owner_user_id, owner_mobile = excluded.owner_mobile,
        supervisor_user_id = excluded.supervisor_user_id, supervisor_mobile = excluded.supervisor_mobile,
        wecom_webhook_url = excluded.wecom_webhook_url`,
    [
      spec.id,
      spec.ownerUserId === undefined ? OWNER_ID : spec.ownerUserId,
      spec.ownerMobile === undefined ? '13800000001' : spec.ownerMobile,
      spec.supervisorUserId === undefined ? SUPERVISOR_ID : spec.supervisorUserId,
      spec.supervisorMobile === undefined ? '13900000002' : spec.supervisorMobile,
      spec.webhookUrl ?? null,
    ],
  );
}

export interface OrderSpec {
  businessType?: BusinessType;
  channel?: Channel;
  state?: OrderState;
  paidAt: Date | null;
  groupId?: string | null;
  presale?: { balancePaidAt?: Date | null; promisedShipAt?: Date | null } | null;
}

let seq = 0;

/** Inserts an order as intake would: in `state`, entered at its payment. */
export async function insertOrder(pool: pg.Pool, spec: OrderSpec): Promise<string> {
  seq += 1;
  const state = spec.state ?? 'PAID';
  const entered = spec.paidAt ?? new Date();
  const presale = spec.presale
    ? {
        depositCents: 100,
        balanceCents: 900,
        depositPaidAt: spec.paidAt?.toISOString() ?? null,
        balancePaidAt: spec.presale.balancePaidAt?.toISOString() ?? null,
        promisedShipAt: spec.presale.promisedShipAt?.toISOString() ?? null,
      }
    : null;
  const groupId = spec.groupId ?? null;
  const owner = groupId
    ? await pool.query<{ owner_user_id: string | null }>(
        'select owner_user_id from processing_group where id = $1',
        [groupId],
      )
    : null;
  return insertOrderRow(pool, {
    channel: spec.channel ?? 'TAOBAO',
    channel_order_no: `SLA-${process.pid}-${seq}`,
    business_type: spec.businessType ?? 'NORMAL',
    state,
    ordered_at: entered,
    paid_at: spec.paidAt,
    presale,
    group_id: groupId,
    owner_id: owner?.rows[0]?.owner_user_id ?? null,
    address: {},
  });
}

/** Moves an order to `state`, entered at `at`, through the orders module as the event writer does. */
export async function moveOrder(pool: pg.Pool, id: string, state: OrderState, at: Date): Promise<void> {
  await inTransaction(pool, (tx) =>
    moveOrderStates(tx, [{ orderId: id, state, entered: { [state]: at.toISOString() } }], at),
  );
}

export function sweep(db: SlaDb, now: Date, batchSize = 100): Promise<SweepTotals> {
  return runSlaSweep({ pool: db.pool, batchSize, logger }, now);
}

export interface SlaColumns {
  state: string;
  abnormal: boolean;
  sla_stage: string | null;
  sla_deadline: Date | null;
  sla_next_check_at: Date | null;
  escalation_level: number;
  escalation_stage: string | null;
  sla_policy_key: string | null;
  sla_policy_version: number | null;
}

export async function slaOf(pool: pg.Pool, id: string): Promise<SlaColumns> {
  const { rows } = await pool.query<SlaColumns>(
    `select state, abnormal, sla_stage, sla_deadline, sla_next_check_at, escalation_level, escalation_stage,
            sla_policy_key, sla_policy_version
       from orders where id = $1`,
    [id],
  );
  return rows[0];
}

export async function historyOf(pool: pg.Pool, id: string) {
  const { rows } = await pool.query<{
    type: string;
    source: string;
    reason: string;
    payload: Record<string, unknown>;
  }>(
    `select type, source, reason, payload from order_event where order_id = $1 and source = 'SYSTEM' order by id`,
    [id],
  );
  return rows;
}

export async function ticketsOf(pool: pg.Pool, id: string) {
  const { rows } = await pool.query<{
    id: string;
    stage: string;
    level: number;
    state: string;
    assignee_user_id: string | null;
    escalated_to_ticket_id: string | null;
    resolved_by: string | null;
  }>(
    `select id, stage, level, state, assignee_user_id, escalated_to_ticket_id, resolved_by from ticket
      where order_id = $1 order by created_at, level`,
    [id],
  );
  return rows;
}

export async function stageRecordsOf(pool: pg.Pool, id: string) {
  const { rows } = await pool.query<{
    stage: string;
    started_at: Date;
    deadline: Date;
    finished_at: Date | null;
    max_level: number;
    policy_key: string;
    policy_version: number;
  }>(
    `select stage, started_at, deadline, finished_at, max_level, policy_key, policy_version from sla_stage_record
      where order_id = $1 order by started_at, id`,
    [id],
  );
  return rows;
}

export async function outboxOf(pool: pg.Pool, id: string) {
  const { rows } = await pool.query<{ topic: string; dedupe_key: string; payload: Record<string, unknown> }>(
    `select topic, dedupe_key, payload from ${OUTBOX_ITEMS} m where payload->>'orderId' = $1 order by id`,
    [id],
  );
  return rows;
}

/** Delivers every due outbox message, WeCom ones through real HTTP. */
export async function deliverOutbox(db: SlaDb): Promise<number> {
  const handlers = new Map(
    [
      liveEventsHandler('ORDER_UPDATED'),
      liveEventsHandler('TICKET_RAISED'),
      // The recording robot has no rate limit: pace it far above WeCom's 20 a minute.
      createWecomMessageHandler(new HttpWecomSender({ timeoutMs: 5000 }), { messagesPerWindow: 10_000 }),
    ].map((h) => [h.topic, h]),
  );
  let delivered = 0;
  for (;;) {
    const batch = await dispatchOutboxBatch({
      pool: db.pool,
      handlers,
      batchSize: 200,
      deliveredBy: 'test',
      logger,
    });
    delivered += batch.delivered;
    if (batch.claimed < 200) return delivered;
  }
}

export { gql, staff } from './sla-graphql.js';
