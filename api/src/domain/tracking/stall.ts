import { SHANGHAI_OFFSET_MS } from '../sla/business-time.js';
import { MOVING_STATES, type ShipmentState } from './carrier-state.js';

/** How long a moving parcel may go without a carrier event before it counts as stalled. */
export interface StallSettings {
  /** @default 24 */
  defaultHours: number;
  /** By carrier code (`shunfeng`), or by `carrier:originProvince:destinationProvince`. */
  overrides: Readonly<Record<string, number>>;
}

export const DEFAULT_STALL_SETTINGS: StallSettings = { defaultHours: 24, overrides: {} };

export interface StallSubject {
  carrier: string;
  originProvince: string | null;
  destinationProvince: string | null;
  state: ShipmentState;
  lastEventAt: Date | null;
  /** When the shipment was created; stands in for a last event before the first scan. */
  createdAt: Date;
  stalledSince: Date | null;
}

/** The route's limit first, then the carrier's, then the default. */
export function stallHours(
  subject: Pick<StallSubject, 'carrier' | 'originProvince' | 'destinationProvince'>,
  settings: StallSettings,
): number {
  const route = `${subject.carrier}:${subject.originProvince ?? ''}:${subject.destinationProvince ?? ''}`;
  return settings.overrides[route] ?? settings.overrides[subject.carrier] ?? settings.defaultHours;
}

/**
 * When the sweep must look at this parcel next: once its limit has passed since the last event,
 * or never (null) when it no longer moves or is already marked stalled (a new event re-arms it).
 */
export function nextStallCheckAt(subject: StallSubject, settings: StallSettings): Date | null {
  if (!MOVING_STATES.has(subject.state) || subject.stalledSince) return null;
  const from = subject.lastEventAt ?? subject.createdAt;
  return new Date(from.getTime() + stallHours(subject, settings) * 3_600_000);
}

export type StallDecision =
  | { stalled: false; recheckAt: Date | null }
  | { stalled: true; since: Date; reason: string };

/** Decides at `now` whether the parcel has stalled, with the reason in plain words. */
export function detectStall(subject: StallSubject, settings: StallSettings, now: Date): StallDecision {
  const due = nextStallCheckAt(subject, settings);
  if (due === null || due.getTime() > now.getTime()) return { stalled: false, recheckAt: due };
  const hours = stallHours(subject, settings);
  const reason =
    subject.state === 'PROBLEM'
      ? '快递反馈包裹异常，正在处理'
      : subject.state === 'CUSTOMS'
        ? `清关已超过${hours}小时没有进展`
        : subject.lastEventAt === null
          ? `发货后超过${hours}小时快递仍未揽收`
          : `物流信息已超过${hours}小时没有更新`;
  return { stalled: true, since: subject.lastEventAt ?? subject.createdAt, reason };
}

/** No SMS between 22:00 and 08:00 Shanghai time. */
export const QUIET_START_HOUR = 22;
export const QUIET_END_HOUR = 8;

/** When an SMS decided at `now` may go out: now, or 08:00 Shanghai after a quiet night. */
export function smsSendTime(now: Date): Date {
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  const hour = local.getUTCHours();
  if (hour >= QUIET_END_HOUR && hour < QUIET_START_HOUR) return now;
  const morning = new Date(local);
  morning.setUTCHours(QUIET_END_HOUR, 0, 0, 0);
  if (hour >= QUIET_START_HOUR) morning.setUTCDate(morning.getUTCDate() + 1);
  return new Date(morning.getTime() - SHANGHAI_OFFSET_MS);
}
