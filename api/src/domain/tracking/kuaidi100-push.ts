import { createHash, timingSafeEqual } from 'node:crypto';
import { type FieldError, fail, ok, type Result } from '../shared/result.js';

/** One scan in a Kuaidi100 trace, as pushed (`lastResult.data[]`). */
export interface Kuaidi100Scan {
  /** `YYYY-MM-DD HH:mm:ss`, Shanghai time. */
  time: string;
  context: string;
  location: string | null;
  areaName: string | null;
  /** The scan's status in words (在途, 签收, …) when the subscription asks for it (`resultv2`). */
  status: string | null;
}

/** A parsed Kuaidi100 push: the whole known history of one waybill. */
export interface Kuaidi100Push {
  /** `polling`, `shutdown` (tracking ended), `abort`, `updateall`. */
  status: string;
  message: string;
  /** Company code, e.g. `shunfeng`, `zhongtong`. */
  com: string;
  /** The waybill number. */
  nu: string;
  /** The current state code (0 在途 … 14 拒签). */
  state: number;
  /** Whether the parcel has been signed for. */
  signed: boolean;
  scans: Kuaidi100Scan[];
}

/** Largest `param` accepted: a long history is a few kB; anything near this is not a push. */
export const MAX_PUSH_PARAM_BYTES = 1_000_000;

/**
 * Kuaidi100 signs a push with MD5(param + salt), in upper-case hex. MD5 is their scheme, not our
 * choice; compared in constant time.
 */
export function kuaidi100Sign(param: string, salt: string): string {
  return createHash('md5')
    .update(param + salt, 'utf8')
    .digest('hex')
    .toUpperCase();
}

export function verifyKuaidi100Sign(param: string, sign: string, salt: string): boolean {
  const expected = Buffer.from(kuaidi100Sign(param, salt));
  const given = Buffer.from(sign.trim().toUpperCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const SCAN_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/;

/** Parses the `param` JSON of a push from untrusted text; every defect is named by its field. */
export function parseKuaidi100Push(param: string): Result<Kuaidi100Push> {
  if (Buffer.byteLength(param) > MAX_PUSH_PARAM_BYTES)
    return fail([err('param', 'TOO_LARGE', `param is larger than ${MAX_PUSH_PARAM_BYTES} bytes`)]);
  let raw: unknown;
  try {
    raw = JSON.parse(param);
  } catch {
    return fail([err('param', 'INVALID_JSON', 'param is not JSON')]);
  }
  if (!isRecord(raw)) return fail([err('param', 'INVALID_TYPE', 'param must be a JSON object')]);
  const errors: FieldError[] = [];
  const last = raw.lastResult;
  if (!isRecord(last)) return fail([err('lastResult', 'REQUIRED', 'lastResult must be an object')]);
  const com = text(last.com);
  const nu = text(last.nu);
  if (!com) errors.push(err('lastResult.com', 'REQUIRED', 'lastResult.com (carrier code) is required'));
  if (!nu) errors.push(err('lastResult.nu', 'REQUIRED', 'lastResult.nu (waybill number) is required'));
  else if (nu.length > 64) errors.push(err('lastResult.nu', 'TOO_LONG', 'lastResult.nu is longer than 64'));
  const state = Number(last.state);
  if (last.state === undefined || last.state === '' || !Number.isInteger(state))
    errors.push(err('lastResult.state', 'INVALID_STATE', 'lastResult.state must be a state code'));
  const data = last.data ?? [];
  const scans: Kuaidi100Scan[] = [];
  if (!Array.isArray(data))
    errors.push(err('lastResult.data', 'INVALID_TYPE', 'lastResult.data must be a list'));
  else
    data.forEach((entry, i) => {
      const field = `lastResult.data[${i}]`;
      if (!isRecord(entry)) {
        errors.push(err(field, 'INVALID_TYPE', `${field} must be an object`));
        return;
      }
      const time = text(entry.time) ?? text(entry.ftime);
      if (!time || !SCAN_TIME.test(time)) {
        errors.push(err(`${field}.time`, 'INVALID_TIME', `${field}.time must be YYYY-MM-DD HH:mm:ss`));
        return;
      }
      scans.push({
        time: time.length === 16 ? `${time}:00` : time,
        context: (text(entry.context) ?? '').slice(0, 500),
        location: text(entry.location)?.slice(0, 100) ?? null,
        areaName: text(entry.areaName)?.slice(0, 100) ?? null,
        status: text(entry.status)?.slice(0, 20) ?? null,
      });
    });
  if (errors.length > 0) return fail(errors);
  return ok({
    status: text(raw.status) ?? '',
    message: (text(raw.message) ?? '').slice(0, 200),
    com: com!,
    nu: nu!,
    state,
    signed: String(last.ischeck) === '1',
    scans,
  });
}

/** A scan time (Shanghai, no offset) as an instant. */
export function scanInstant(time: string): Date {
  return new Date(`${time.replace(' ', 'T')}+08:00`);
}

const text = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const err = (field: string, code: string, message: string): FieldError => ({ field, code, message });
