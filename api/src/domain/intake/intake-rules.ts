import type { BusinessType, OrderState } from '../order/order-types.js';
import { type FieldReader, STATUS_CODE } from './field-reader.js';
import type { PresaleTerms } from './normalized-order.js';

/**
 * Rules every channel adapter applies the same way, so the four adapters cannot drift apart.
 */

/**
 * A channel status maps to a standard state, or to `CLOSED`: closed before payment is CANCELLED,
 * closed after payment is REFUNDED (see `settleClosed`).
 */
export type ChannelStatusTable = Readonly<Record<string, OrderState | 'CLOSED'>>;

/**
 * Reads a status field and looks it up in the channel's table. An unknown code is reported as
 * UNKNOWN_STATUS; `mapped` is then undefined and follow-up checks skip it.
 */
export function readStatus<T>(
  reader: FieldReader,
  key: string,
  table: Readonly<Record<string, T>>,
  what: string,
): { code: string; mapped: T | undefined } {
  const code = reader.required(key, STATUS_CODE);
  if (Object.hasOwn(table, code)) return { code, mapped: table[code] };
  if (!reader.hasDefect(key)) {
    reader.report(key, 'UNKNOWN_STATUS', `${reader.pathOf(key)} is not a ${what} this adapter maps.`);
  }
  return { code, mapped: undefined };
}

export function settleClosed(mapped: OrderState | 'CLOSED', wasPaid: boolean): OrderState {
  if (mapped !== 'CLOSED') return mapped;
  return wasPaid ? 'REFUNDED' : 'CANCELLED';
}

/**
 * CUSTOM wins over PRESALE: a made-to-order item sets the lead time even when it was sold on
 * presale terms (the terms stay on the order in `presale`).
 */
export function businessTypeOf(flags: { presale: boolean; custom: boolean }): BusinessType {
  if (flags.custom) return 'CUSTOM';
  return flags.presale ? 'PRESALE' : 'NORMAL';
}

/**
 * PAID with no pay time is a contradiction the SLA clock cannot live with (it starts at payment).
 * Later states may lack one: cash-on-delivery orders ship before anyone pays.
 */
export function requirePayTime(
  reader: FieldReader,
  key: string,
  state: OrderState | undefined,
  payTime: Date | null,
): void {
  if (state === 'PAID' && payTime === null && !reader.hasDefect(key)) {
    reader.report(key, 'MISSING_PAY_TIME', `${reader.pathOf(key)} is required when the order is paid.`);
  }
}

/** The newest of the times given; the fallback for `sourceUpdatedAt` when a channel sends none. */
export function latestOf(first: Date, ...others: (Date | null)[]): Date {
  return others.reduce<Date>((latest, time) => (time && time > latest ? time : latest), first);
}

/**
 * A presale order is PAID only once its balance is in; until then it is CREATED (deposit paid or
 * not), so the SLA clock for picking does not start on a deposit.
 */
export function presaleAwareState(state: OrderState | undefined, presale: PresaleTerms | null) {
  return presale && state === 'PAID' && !presale.balancePaidAt ? 'CREATED' : state;
}

export function presalePaidCents(presale: PresaleTerms): number {
  return (
    (presale.depositPaidAt ? presale.depositCents : 0) + (presale.balancePaidAt ? presale.balanceCents : 0)
  );
}
