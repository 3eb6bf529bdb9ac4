import type pg from 'pg';
import type { OrderState } from '../../domain/order/order-types.js';
import { SLA_CLOSED_STATES } from '../../domain/sla/fulfilment-rank.js';
import type { OrderAddressParse, OrderRegion } from './order.entity.js';

/**
 * The writes to `orders` other modules may make, one named function each. The orders module owns
 * the table: nobody else issues INSERT, UPDATE or DELETE on it (a unit test scans `api/src` for
 * that). Intake's create-or-update lives in `order-intake.service.ts`, in this module too.
 *
 * Every function is one set-wise statement run on the caller's transaction client, so the state
 * change commits or rolls back with the caller's history rows and outbox messages (the outbox
 * rule); none opens a transaction or commits. An empty input issues no statement.
 */

/** The new state of an order whose events moved it, with the states it entered and when. */
export interface StateChange {
  orderId: string;
  state: OrderState;
  /** ISO time by state entered; merged into `state_entered_at`. */
  entered: Partial<Record<OrderState, string>>;
}

/**
 * Lifecycle: sets each order's state and adds the states it entered, in one statement; one
 * version step per order per call. The caller has locked the orders and checked the moves
 * against the lifecycle.
 */
export async function moveOrderStates(
  client: pg.PoolClient,
  changes: readonly StateChange[],
  receivedAt: Date,
): Promise<void> {
  if (changes.length === 0) return;
  await client.query(
    `update orders o
        set state = t.state, state_entered_at = o.state_entered_at || t.entered,
            version = o.version + 1, updated_at = $4
       from unnest($1::uuid[], $2::text[], $3::jsonb[]) as t(id, state, entered)
      where o.id = t.id`,
    [
      changes.map((c) => c.orderId),
      changes.map((c) => c.state),
      changes.map((c) => JSON.stringify(c.entered)),
      receivedAt.toISOString(),
    ],
  );
}

/** Where routing placed an order (or why it holds it) and what the address parse found. */
export interface RoutingWrite {
  orderId: string;
  groupId: string | null;
  ownerId: string | null;
  holdReason: string | null;
  ruleId: string | null;
  reason: string | null;
  routedAt: Date | null;
  region: OrderRegion | null;
  addressParse: OrderAddressParse | null;
}

/** Routing: writes each order's group, owner, hold and routing facts in one statement. */
export async function setOrderRouting(
  client: pg.PoolClient,
  writes: readonly RoutingWrite[],
  now: Date,
): Promise<void> {
  if (writes.length === 0) return;
  await client.query(
    `update orders o set group_id = t.group_id, owner_id = t.owner_id, hold_reason = t.hold_reason,
            routing_rule_id = t.rule_id, routing_reason = t.reason, routed_at = t.routed_at, region = t.region,
            address_parse = t.address_parse, updated_at = $1, version = o.version + 1
       from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[],
                   $9::jsonb[], $10::jsonb[])
         as t(id, group_id, owner_id, hold_reason, rule_id, reason, routed_at, region, address_parse)
      where o.id = t.id`,
    [
      now.toISOString(),
      writes.map((w) => w.orderId),
      writes.map((w) => w.groupId),
      writes.map((w) => w.ownerId),
      writes.map((w) => w.holdReason),
      writes.map((w) => w.ruleId),
      writes.map((w) => w.reason),
      writes.map((w) => w.routedAt?.toISOString() ?? null),
      writes.map((w) => (w.region ? JSON.stringify(w.region) : null)),
      writes.map((w) => JSON.stringify(w.addressParse)),
    ],
  );
}

/**
 * Payments: sets the orders' paid figures from their payment ledger rows (`order_payment`, owned
 * by the payments module): `paid_cents` is payments less refunds, `paid_at` the first payment
 * (kept when the ledger has none). Read and written in one statement.
 */
export async function derivePaidFigures(client: pg.PoolClient, orderIds: readonly string[]): Promise<void> {
  if (orderIds.length === 0) return;
  await client.query(
    `update orders o
        set paid_cents = p.net, paid_at = coalesce(p.first_paid, o.paid_at)
       from (select order_id,
                    sum(case when kind = 'REFUND' then -amount_cents else amount_cents end) as net,
                    min(paid_at) filter (where kind <> 'REFUND') as first_paid
               from order_payment where order_id = any($1::uuid[]) group by order_id) p
      where o.id = p.order_id`,
    [orderIds],
  );
}

/** An order's SLA clock as the sweep judged it. */
export interface OrderClock {
  slaStage: string | null;
  slaDeadline: Date | null;
  nextCheckAt: Date | null;
  escalationLevel: number;
  escalationStage: string | null;
  policyKey: string | null;
  policyVersion: number | null;
  abnormal: boolean;
  /** The delivery promise the policy gives an order whose channel gave none; null otherwise. */
  policyPromisedDeliveryAt: Date | null;
}

/**
 * SLA: stores each order's clock, abnormal flag, next check and policy delivery promise (a
 * channel's promise is kept) in one statement fed as one JSON document. `version` and
 * `updated_at` move only when `abnormal` changed: a clock tick is not a change partners see.
 */
export async function writeOrderClocks(
  client: pg.PoolClient,
  clocks: readonly { orderId: string; order: OrderClock }[],
  now: Date,
): Promise<void> {
  if (clocks.length === 0) return;
  await client.query(
    `update orders o set
        sla_stage = t.stage, sla_deadline = t.deadline, sla_next_check_at = t.next_check_at,
        escalation_level = t.level, escalation_stage = t.escalation_stage,
        sla_policy_key = t.policy_key, sla_policy_version = t.policy_version,
        abnormal = t.abnormal,
        promised_delivery_at = case when o.promised_delivery_source = 'CHANNEL' then o.promised_delivery_at
                                    else t.policy_promise end,
        promised_delivery_source = case when o.promised_delivery_source = 'CHANNEL' then 'CHANNEL'
                                        when t.policy_promise is not null then 'SLA_POLICY' end,
        version = o.version + case when o.abnormal is distinct from t.abnormal then 1 else 0 end,
        updated_at = case when o.abnormal is distinct from t.abnormal then $2 else o.updated_at end
       from json_to_recordset($1::json) as t(id uuid, stage text, deadline timestamptz,
              next_check_at timestamptz, level int, escalation_stage text, policy_key text, policy_version int,
              abnormal boolean, policy_promise timestamptz)
      where o.id = t.id`,
    [
      // Dates become ISO-8601 text, which PostgreSQL reads back exactly as `timestamptz`.
      JSON.stringify(
        clocks.map(({ orderId, order }) => ({
          id: orderId,
          stage: order.slaStage,
          deadline: order.slaDeadline,
          next_check_at: order.nextCheckAt,
          level: order.escalationLevel,
          escalation_stage: order.escalationStage,
          policy_key: order.policyKey,
          policy_version: order.policyVersion,
          abnormal: order.abnormal,
          policy_promise: order.policyPromisedDeliveryAt,
        })),
      ),
      now,
    ],
  );
}

/** Which orders an SLA policy governs: every given part must match; null matches any. */
export interface SlaScope {
  businessType: string;
  channel: string | null;
  groupId: string | null;
}

/**
 * SLA: makes the open orders of a policy's scope due for a new judgement now, those on no clock
 * included (a new policy version may time a stage the old one did not). Closed orders keep no
 * clock under any version; orders already due keep their time.
 */
export async function makeOrdersDueForSla(client: pg.PoolClient, scope: SlaScope): Promise<void> {
  await client.query(
    `update orders set sla_next_check_at = now()
      where business_type = $1 and ($2::text is null or channel = $2) and ($3::text is null or group_id = $3)
        and state <> all($4::text[])
        and (sla_next_check_at is null or sla_next_check_at > now())`,
    [scope.businessType, scope.channel, scope.groupId, [...SLA_CLOSED_STATES]],
  );
}
