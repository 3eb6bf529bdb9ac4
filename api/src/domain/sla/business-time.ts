/**
 * The business runs on Shanghai time (UTC+8, no daylight saving), whatever the server's zone.
 * Fixed arithmetic instead of Intl keeps these helpers exact and independent of the ICU build.
 */
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const BUSINESS_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 00:00 Shanghai time of the business day `now` falls in. */
export function startOfBusinessDay(now: Date): Date {
  const local = now.getTime() + SHANGHAI_OFFSET_MS;
  return new Date(local - mod(local, DAY_MS) - SHANGHAI_OFFSET_MS);
}

/**
 * The business day `YYYY-MM-DD` as a half-open interval `[from, to)` of instants.
 * @throws RangeError when the text is not a real calendar date; validate user input first with
 * `isBusinessDate`.
 */
export function businessDayRange(date: string): { from: Date; to: Date } {
  if (!isBusinessDate(date)) throw new RangeError(`Not a business date (YYYY-MM-DD): "${date}"`);
  const [, year, month, day] = BUSINESS_DATE.exec(date)!;
  const from = Date.UTC(Number(year), Number(month) - 1, Number(day)) - SHANGHAI_OFFSET_MS;
  return { from: new Date(from), to: new Date(from + DAY_MS) };
}

/** Whether `text` is `YYYY-MM-DD` naming a real calendar date. */
export function isBusinessDate(text: string): boolean {
  const match = BUSINESS_DATE.exec(text);
  if (!match) return false;
  const [, year, month, day] = match.map(Number);
  const utc = new Date(Date.UTC(year, month - 1, day));
  return utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day;
}

/** `YYYY-MM-DD HH:mm:ss` in Shanghai time, as Taobao and JD send times. */
export function shanghaiLocalTime(instant: Date): string {
  const local = new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)}`;
}

/** `YYYY-MM-DDTHH:mm:ss+08:00`: ISO 8601 with the Shanghai offset. */
export const shanghaiIsoTime = (instant: Date): string =>
  `${shanghaiLocalTime(instant).replace(' ', 'T')}+08:00`;

/** `YYYY-MM-DD HH:mm` in Shanghai time, as operators read it. */
export function formatShanghai(instant: Date): string {
  return shanghaiLocalTime(instant).slice(0, 16);
}

/** The business day (`YYYY-MM-DD`, Shanghai) an instant falls in. */
export function businessDate(instant: Date): string {
  return formatShanghai(instant).slice(0, 10);
}

const mod = (value: number, divisor: number) => ((value % divisor) + divisor) % divisor;
