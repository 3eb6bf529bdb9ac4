import type { OrderEventType } from '../order/order-events.js';

/** Where a parcel is, in the platform's words; one per shipment. */
export const SHIPMENT_STATES = [
  'AWAITING_PICKUP',
  'PICKED_UP',
  'IN_TRANSIT',
  'CUSTOMS',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'PROBLEM',
  'REJECTED',
  'RETURNING',
  'RETURNED',
] as const;
export type ShipmentState = (typeof SHIPMENT_STATES)[number];

/** States in which the parcel is still on its way to the buyer; only these can stall. */
export const MOVING_STATES: ReadonlySet<ShipmentState> = new Set([
  'AWAITING_PICKUP',
  'PICKED_UP',
  'IN_TRANSIT',
  'CUSTOMS',
  'OUT_FOR_DELIVERY',
  'PROBLEM',
]);

export interface CarrierStateMapping {
  /** Kuaidi100's name for the code. */
  name: string;
  shipment: ShipmentState;
  /**
   * Order events the scan reports, in order. A rejection (拒签) and a return signed by the
   * sender (退签) both move the order into RETURNING first, so a refused parcel never stays
   * "shipped"; 退签 then also reports RETURNED.
   */
  orderEvents: readonly OrderEventType[];
}

/** Every Kuaidi100 state code (`lastResult.state`, and `status` words of a scan). */
export const KUAIDI100_STATES: Readonly<Record<number, CarrierStateMapping>> = {
  0: { name: '在途', shipment: 'IN_TRANSIT', orderEvents: ['TMS_IN_TRANSIT'] },
  1: { name: '揽收', shipment: 'PICKED_UP', orderEvents: ['TMS_PICKED_UP'] },
  2: { name: '疑难', shipment: 'PROBLEM', orderEvents: ['TMS_EXCEPTION_REPORTED'] },
  3: { name: '签收', shipment: 'DELIVERED', orderEvents: ['TMS_DELIVERED'] },
  4: { name: '退签', shipment: 'RETURNED', orderEvents: ['TMS_RETURNING', 'TMS_RETURNED'] },
  5: { name: '派件', shipment: 'OUT_FOR_DELIVERY', orderEvents: ['TMS_OUT_FOR_DELIVERY'] },
  6: { name: '退回', shipment: 'RETURNING', orderEvents: ['TMS_RETURNING'] },
  7: { name: '转投', shipment: 'IN_TRANSIT', orderEvents: ['TMS_IN_TRANSIT'] },
  8: { name: '清关', shipment: 'CUSTOMS', orderEvents: ['TMS_IN_TRANSIT'] },
  10: { name: '待清关', shipment: 'CUSTOMS', orderEvents: ['TMS_IN_TRANSIT'] },
  11: { name: '清关中', shipment: 'CUSTOMS', orderEvents: ['TMS_IN_TRANSIT'] },
  12: { name: '已清关', shipment: 'CUSTOMS', orderEvents: ['TMS_IN_TRANSIT'] },
  13: { name: '清关异常', shipment: 'PROBLEM', orderEvents: ['TMS_EXCEPTION_REPORTED'] },
  14: { name: '拒签', shipment: 'REJECTED', orderEvents: ['TMS_RETURNING'] },
};

const BY_NAME = new Map(Object.entries(KUAIDI100_STATES).map(([code, m]) => [m.name, Number(code)]));

/** The state code of a scan's `status` words; null for words Kuaidi100 does not define. */
export function kuaidi100CodeOfName(name: string | null): number | null {
  return name === null ? null : (BY_NAME.get(name.trim()) ?? null);
}

/** A code Kuaidi100 may add later is read as "in transit", the one reading that promises nothing. */
export function mapKuaidi100State(code: number): CarrierStateMapping {
  return KUAIDI100_STATES[code] ?? { name: `未知(${code})`, shipment: 'IN_TRANSIT', orderEvents: [] };
}

/** Generic TMS event types and the shipment state each implies. */
export const TMS_EVENT_SHIPMENT_STATE: Partial<Record<OrderEventType, ShipmentState>> = {
  WMS_SHIPPED: 'AWAITING_PICKUP',
  TMS_PICKED_UP: 'PICKED_UP',
  TMS_IN_TRANSIT: 'IN_TRANSIT',
  TMS_OUT_FOR_DELIVERY: 'OUT_FOR_DELIVERY',
  TMS_DELIVERED: 'DELIVERED',
  TMS_DELIVERY_FAILED: 'PROBLEM',
  TMS_RETURNING: 'RETURNING',
  TMS_RETURNED: 'RETURNED',
  TMS_EXCEPTION_REPORTED: 'PROBLEM',
};

/** What the customer reads about the parcel. */
export const SHIPMENT_STATE_LABELS: Readonly<Record<ShipmentState, string>> = {
  AWAITING_PICKUP: '等待快递揽收',
  PICKED_UP: '快递已揽收',
  IN_TRANSIT: '运输途中',
  CUSTOMS: '清关中',
  OUT_FOR_DELIVERY: '快递员正在派送',
  DELIVERED: '已签收',
  PROBLEM: '包裹异常，快递正在处理',
  REJECTED: '已拒收，包裹将退回',
  RETURNING: '包裹退回中',
  RETURNED: '包裹已退回',
};
