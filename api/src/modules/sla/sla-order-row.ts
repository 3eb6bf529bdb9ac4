import type { OrderState } from '../../domain/order/order-types.js';
import type { SlaOrderSnapshot } from '../../domain/sla/sla-clock.js';
import type { StageName } from '../../domain/sla/sla-policy.js';
import { type OrderColumn, type OrderRowOf, orderColumns } from '../orders/order-row.js';

/** The columns of `orders` the SLA clock reads (names and types from the orders module's row). */
const SLA_COLUMNS = [
  'id',
  'channel',
  'channel_order_no',
  'business_type',
  'state',
  'state_entered_at',
  'paid_at',
  'presale',
  'group_id',
  'owner_id',
  'abnormal',
  'sla_stage',
  'sla_deadline',
  'escalation_level',
  'escalation_stage',
  'sla_policy_key',
  'sla_policy_version',
  'promised_delivery_at',
  'promised_delivery_source',
  'backfill',
  // When the order arrived: deadlines before it were past before anyone could act.
  'created_at',
] as const satisfies readonly OrderColumn[];

/** An order row as the SLA clock reads it. */
export type SlaOrderRow = OrderRowOf<typeof SLA_COLUMNS>;

/** The select list matching `SlaOrderRow`. */
export const SLA_ORDER_COLUMNS = orderColumns(SLA_COLUMNS);

const instant = (value: string | null | undefined): Date | null => {
  if (value == null) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** What the pure SLA rules need to know about an order row. */
export function toSlaSnapshot(row: SlaOrderRow): SlaOrderSnapshot {
  const stateEnteredAt: Partial<Record<OrderState, Date>> = {};
  for (const [state, at] of Object.entries(row.state_entered_at ?? {})) {
    const date = instant(at);
    if (date) stateEnteredAt[state as OrderState] = date;
  }
  return {
    state: row.state,
    businessType: row.business_type,
    channel: row.channel,
    groupId: row.group_id,
    paidAt: row.paid_at,
    balancePaidAt: instant(row.presale?.balancePaidAt),
    promisedShipAt: instant(row.presale?.promisedShipAt),
    // A promise the sweep derived from the policy is its output, not an input.
    promisedDeliveryAt: row.promised_delivery_source === 'CHANNEL' ? row.promised_delivery_at : null,
    stateEnteredAt,
    escalationLevel: row.escalation_level,
    escalationStage: row.escalation_stage as StageName | null,
  };
}
