import { createHash } from 'node:crypto';
import type { OrderEventType } from '../order/order-events.js';
import { kuaidi100CodeOfName, mapKuaidi100State, type ShipmentState } from './carrier-state.js';
import { type Kuaidi100Push, scanInstant } from './kuaidi100-push.js';

/** One entry of a parcel's trace, keyed so the same scan pushed again is recognised. */
export interface TraceEntry {
  /** Stable per scan: a digest of its time and text. */
  entryKey: string;
  occurredAt: Date;
  description: string;
  location: string | null;
  /** The carrier's own state code (Kuaidi100) for the scan, when known. */
  carrierCode: number | null;
  /** The shipment state the scan shows; null for a scan that says nothing about the state. */
  state: ShipmentState | null;
  /** The order events this scan reports (empty for plain scans). */
  orderEvents: readonly OrderEventType[];
}

/** What the platform holds about a parcel's progress. */
export interface ShipmentProgress {
  state: ShipmentState;
  lastEventAt: Date | null;
}

/**
 * The trace entries of a push. A push carries the whole history, newest first. Each scan's state
 * comes from its own `status` words when given; without them only the newest scan carries the
 * push's `state`, the others are plain scans.
 */
export function traceOfPush(push: Kuaidi100Push): TraceEntry[] {
  const newestTime = push.scans.reduce<string | null>(
    (a, s) => (a === null || s.time > a ? s.time : a),
    null,
  );
  return push.scans.map((scan) => {
    const named = kuaidi100CodeOfName(scan.status);
    const code = named ?? (scan.time === newestTime ? push.state : null);
    const mapping = code === null ? null : mapKuaidi100State(code);
    return {
      entryKey: createHash('sha1').update(`${scan.time}\u0000${scan.context}`).digest('hex').slice(0, 20),
      occurredAt: scanInstant(scan.time),
      description: scan.context,
      location: scan.areaName ?? scan.location,
      carrierCode: code,
      state: mapping?.shipment ?? null,
      orderEvents: mapping?.orderEvents ?? [],
    };
  });
}

/**
 * Folds entries new to the platform into the parcel's progress, whatever order they arrive in:
 * the state is that of the latest scan by time that names one, so an older push arriving after
 * a newer one changes nothing.
 */
export function foldProgress(
  current: ShipmentProgress & { stateAt: Date | null },
  entries: readonly TraceEntry[],
): ShipmentProgress & { stateAt: Date | null } {
  let { state, lastEventAt, stateAt } = current;
  for (const entry of entries) {
    const t = entry.occurredAt.getTime();
    if (lastEventAt === null || t > lastEventAt.getTime()) lastEventAt = entry.occurredAt;
    if (entry.state !== null && (stateAt === null || t >= stateAt.getTime())) {
      state = entry.state;
      stateAt = entry.occurredAt;
    }
  }
  return { state, lastEventAt, stateAt };
}
