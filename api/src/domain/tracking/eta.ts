import { businessDate, startOfBusinessDay } from '../sla/business-time.js';

/** A route: carrier plus origin and destination province (GB/T 2260 two-digit codes or names). */
export interface Route {
  carrier: string;
  originProvince: string | null;
  destinationProvince: string | null;
}

/** Delivered history of one route: how many parcels, and their transit times in hours. */
export interface RouteHistory {
  deliveredCount: number;
  /** 80th percentile of hours from shipping to delivery. */
  p80Hours: number;
}

/** Fewer delivered parcels than this on a route, and its history is not trusted. */
export const MIN_ROUTE_SAMPLES = 20;

/** Provinces far from the usual warehouses, slower by default: Xinjiang, Tibet, Qinghai, Inner Mongolia, Hainan. */
const REMOTE_PROVINCES = new Set([
  '65',
  '54',
  '63',
  '15',
  '46',
  '新疆维吾尔自治区',
  '西藏自治区',
  '青海省',
  '内蒙古自治区',
  '海南省',
]);

/** Defaults where no history exists: same province 1 day, remote 5 days, elsewhere 3 days. */
export function defaultTransitHours(route: Route): number {
  const { originProvince: from, destinationProvince: to } = route;
  if (from && to && from === to) return 24;
  if (to && REMOTE_PROVINCES.has(to)) return 120;
  return 72;
}

/**
 * Expected delivery: the day the parcel should arrive, from when it left and the route's
 * history (its p80 transit time when enough parcels were delivered, else the default). The
 * promise is the end of that Shanghai business day: customers read a date, not an hour.
 */
export function estimateDelivery(route: Route, shippedAt: Date, history: RouteHistory | null): Date {
  const hours =
    history && history.deliveredCount >= MIN_ROUTE_SAMPLES && history.p80Hours > 0
      ? history.p80Hours
      : defaultTransitHours(route);
  const arrival = new Date(shippedAt.getTime() + hours * 3_600_000);
  return new Date(startOfBusinessDay(arrival).getTime() + 24 * 3_600_000 - 1000);
}

/** "预计11月27日送达", or "预计今天送达" / "预计明天送达" relative to `now`; null when the day is past. */
export function etaText(eta: Date, now: Date): string | null {
  const days = Math.round(
    (startOfBusinessDay(eta).getTime() - startOfBusinessDay(now).getTime()) / 86_400_000,
  );
  if (days < 0) return null;
  if (days === 0) return '预计今天送达';
  if (days === 1) return '预计明天送达';
  const [, month, day] = businessDate(eta).split('-').map(Number);
  return `预计${month}月${day}日送达`;
}

/** Whether a parcel delivered at `deliveredAt` (or still out at `now`) is late against its ETA. */
export function isLateAgainstEta(eta: Date | null, deliveredAt: Date | null, now: Date): boolean {
  if (!eta) return false;
  return (deliveredAt ?? now).getTime() > eta.getTime();
}
