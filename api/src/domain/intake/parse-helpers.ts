import { type PhoneReading, readPhone } from '../phone/buyer-phone.js';
import { type FieldError, fail, ok, type Result } from '../shared/result.js';

/**
 * Pure parsers for the values channels send: yuan strings, fen integers, Asia/Shanghai local
 * times, unix seconds, ISO-8601 instants, mainland mobile numbers, ids and quantities.
 *
 * Each takes the raw value and the full dotted path of the field it came from, and returns the
 * typed value or exactly one `FieldError` naming that path. Messages describe the expected form
 * and never repeat the value: a value may be a phone number, a name or an address.
 */

/** Codes the intake adapters report. Stable: clients and dashboards key on them. */
export type IntakeErrorCode =
  /** The field is missing, null or blank. */
  | 'REQUIRED'
  /** The field has the wrong JSON type (an object where a string belongs, …). */
  | 'INVALID_TYPE'
  /** An order or line number that is not a non-empty string or a safe non-negative integer. */
  | 'INVALID_ID'
  /** Not a non-negative amount with at most 2 decimals (yuan) or a non-negative safe integer (cents). */
  | 'INVALID_MONEY'
  /** Not a real instant in the expected format (e.g. 2026-02-30, 25:00:00, a missing offset). */
  | 'INVALID_TIME'
  /** Not an 11-digit mainland mobile number (nor, where allowed, a valid number with its country code). */
  | 'INVALID_PHONE'
  /** Not a whole number of at least 1. */
  | 'INVALID_QUANTITY'
  /** A status or stage code the adapter has no mapping for. */
  | 'UNKNOWN_STATUS'
  /** A value outside a closed set the platform defines (e.g. the web shop's businessType). */
  | 'UNKNOWN_VALUE'
  /** The order has no lines. */
  | 'NO_ITEMS'
  /** The status says the order is paid, but no pay time was given. */
  | 'MISSING_PAY_TIME'
  /** Amounts that cannot both be true (e.g. a deposit larger than the whole order). */
  | 'INCONSISTENT_AMOUNT'
  /** A field that must be absent in this combination (e.g. presale terms on a normal order). */
  | 'UNEXPECTED_FIELD'
  /** Warning: a field the channel's format does not have (there); the order is taken without it. */
  | 'UNKNOWN_FIELD'
  /** Warning: more unknown fields than are listed per order (`MAX_UNKNOWN_FIELD_WARNINGS`). */
  | 'UNKNOWN_FIELDS_OMITTED';

export type Parse<T> = (value: unknown, field: string) => Result<T>;

export const fieldError = (field: string, code: IntakeErrorCode, message: string): FieldError => ({
  field,
  code,
  message,
});

export const reject = (field: string, code: IntakeErrorCode, message: string): Result<never> =>
  fail([fieldError(field, code, message)]);

/** Channels leave a field out, send null, or send an empty string; all three mean "not given". */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const required = (field: string) => reject(field, 'REQUIRED', `${field} is required.`);

// ---------------------------------------------------------------------------------------------
// Text and ids

/** A required string, trimmed; blank counts as missing. */
export const parseText: Parse<string> = (value, field) => {
  if (isAbsent(value)) return required(field);
  if (typeof value !== 'string') return reject(field, 'INVALID_TYPE', `${field} must be a string.`);
  return ok(value.trim());
};

/**
 * An order, line, category or payment number: a non-empty string, or a non-negative integer that
 * JSON could carry exactly. Taobao tids have 19 digits; sent as a JSON number they have already
 * lost digits when parsed, so an unsafe integer is refused rather than silently altered.
 */
export const parseChannelId: Parse<string> = (value, field) => {
  if (isAbsent(value)) return required(field);
  if (typeof value === 'string') return ok(value.trim());
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return ok(String(value));
    return reject(
      field,
      'INVALID_ID',
      `${field} must be a string or a non-negative integer below 2^53; send long numbers as strings.`,
    );
  }
  return reject(field, 'INVALID_ID', `${field} must be a string or an integer.`);
};

/** A status code: Taobao and JD send names, Douyin sends integers. Returned as a string. */
export const parseStatusCode: Parse<string> = (value, field) => {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return ok(String(value));
  return parseText(value, field);
};

export const parseFlag: Parse<boolean> = (value, field) => {
  if (typeof value === 'boolean') return ok(value);
  if (isAbsent(value)) return required(field);
  return reject(field, 'INVALID_TYPE', `${field} must be true or false.`);
};

/** A line quantity: a whole number ≥ 1, as a JSON number or a digit string (JD sends "2"). */
export const parseQuantity: Parse<number> = (value, field) => {
  if (isAbsent(value)) return required(field);
  const text = typeof value === 'string' ? value.trim() : value;
  const quantity = typeof text === 'string' && /^\d{1,15}$/.test(text) ? Number(text) : text;
  if (typeof quantity === 'number' && Number.isSafeInteger(quantity) && quantity >= 1) return ok(quantity);
  return reject(field, 'INVALID_QUANTITY', `${field} must be a whole number of at least 1.`);
};

// ---------------------------------------------------------------------------------------------
// Money

const YUAN_AMOUNT = /^(\d+)(?:\.(\d+))?$/;
const MAX_CENTS = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A yuan amount ("128.50", "0.5", "12") as integer cents, by string arithmetic — no float ever
 * holds the amount. Digits past the second decimal must be zeros ("1.000" is 100 cents, "1.234"
 * is refused): an exact value is accepted, nothing is rounded.
 *
 * A JS number (some connectors send `128.5`) goes through its shortest round-trip string, so
 * `0.1 + 0.2` (`0.30000000000000004`) is refused as having more than 2 decimals.
 */
export const parseYuanCents: Parse<number> = (value, field) => {
  if (isAbsent(value)) return required(field);
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else return reject(field, 'INVALID_MONEY', `${field} must be a yuan amount such as "128.50".`);

  const match = YUAN_AMOUNT.exec(text);
  if (!match) {
    return reject(field, 'INVALID_MONEY', `${field} must be a non-negative yuan amount such as "128.50".`);
  }
  const [, whole, decimals = ''] = match;
  if (/[1-9]/.test(decimals.slice(2))) {
    return reject(field, 'INVALID_MONEY', `${field} has more than 2 decimals; yuan amounts stop at the fen.`);
  }
  const cents = BigInt(whole) * 100n + BigInt(decimals.slice(0, 2).padEnd(2, '0'));
  if (cents > MAX_CENTS)
    return reject(field, 'INVALID_MONEY', `${field} is too large to be an order amount.`);
  return ok(Number(cents));
};

/** Integer cents (fen), as Douyin and the web shop send them: a non-negative safe integer. */
export const parseCents: Parse<number> = (value, field) => {
  if (isAbsent(value)) return required(field);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return ok(value);
  return reject(field, 'INVALID_MONEY', `${field} must be a non-negative whole number of fen (cents).`);
};

// ---------------------------------------------------------------------------------------------
// Time

const SHANGHAI_OFFSET_MINUTES = 8 * 60;
const SHANGHAI_LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;
/** Unix seconds above this (year 5138) are almost certainly milliseconds sent by mistake. */
const MAX_UNIX_SECONDS = 99_999_999_999;

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * A wall-clock reading at a fixed UTC offset → epoch milliseconds, or null when no such reading
 * exists (month 13, 30 February, hour 25). Years before 1970 are refused too: `Date.UTC` reads
 * years 0–99 as 19xx, and no channel order predates the epoch.
 */
function wallClockToEpochMs(parts: readonly number[], offsetMinutes: number): number | null {
  const [year, month, day, hour, minute, second, millisecond = 0] = parts;
  const valid =
    year >= 1970 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59;
  if (!valid) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offsetMinutes * 60_000;
}

/**
 * "2026-11-20 14:03:11" read as Asia/Shanghai local time (UTC+8 all year: China has had no
 * daylight saving since 1991) → the absolute instant.
 */
export const parseShanghaiTime: Parse<Date> = (value, field) => {
  if (isAbsent(value)) return required(field);
  const match = typeof value === 'string' ? SHANGHAI_LOCAL_TIME.exec(value.trim()) : null;
  const epochMs = match ? wallClockToEpochMs(match.slice(1).map(Number), SHANGHAI_OFFSET_MINUTES) : null;
  if (epochMs === null) {
    return reject(
      field,
      'INVALID_TIME',
      `${field} must be a real Asia/Shanghai time as "YYYY-MM-DD HH:mm:ss".`,
    );
  }
  return ok(new Date(epochMs));
};

/** Unix seconds (a JSON number or a digit string) → the instant. */
export const parseUnixSeconds: Parse<Date> = (value, field) => {
  if (isAbsent(value)) return required(field);
  const text = typeof value === 'string' ? value.trim() : value;
  const seconds = typeof text === 'string' && /^\d{1,15}$/.test(text) ? Number(text) : text;
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 0) {
    return reject(field, 'INVALID_TIME', `${field} must be unix time in whole seconds.`);
  }
  if (seconds > MAX_UNIX_SECONDS) {
    return reject(
      field,
      'INVALID_TIME',
      `${field} is too large for unix seconds; milliseconds were probably sent.`,
    );
  }
  return ok(new Date(seconds * 1000));
};

/** An ISO-8601 instant with an explicit offset ("2026-11-20T14:03:11+08:00" or "…Z"). */
export const parseIsoInstant: Parse<Date> = (value, field) => {
  if (isAbsent(value)) return required(field);
  const match = typeof value === 'string' ? ISO_INSTANT.exec(value.trim()) : null;
  let epochMs: number | null = null;
  if (match) {
    const [, y, mo, d, h, mi, s, fraction = '', zulu, sign, offsetHours, offsetMinutes] = match;
    const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
    const offset = zulu ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
    const offsetValid = zulu || (Number(offsetHours) <= 14 && Number(offsetMinutes) <= 59);
    epochMs = offsetValid ? wallClockToEpochMs([y, mo, d, h, mi, s].map(Number).concat(ms), offset) : null;
  }
  if (epochMs === null) {
    return reject(
      field,
      'INVALID_TIME',
      `${field} must be an ISO-8601 time with an offset, such as "2026-11-20T14:03:11+08:00".`,
    );
  }
  return ok(new Date(epochMs));
};

// ---------------------------------------------------------------------------------------------
// Phone

/**
 * A mainland China mobile number → its 11 digits. Spaces and dashes are dropped and a +86, 0086
 * or 86 country prefix is removed. Masked ("138****8000") or virtual numbers with an extension are
 * refused: the connector must supply the decrypted number. The marketplaces deliver in the
 * mainland only, so their receiver numbers are read with this.
 */
export const parseChineseMobile: Parse<string> = (value, field) =>
  phoneField(
    readPhone(value, 'MAINLAND_MOBILE'),
    field,
    `${field} must be an 11-digit mainland mobile number (1[3-9]…).`,
  );

/**
 * A buyer phone the web shop sends: a mainland mobile (stored as its 11 digits, as always) or a
 * number elsewhere — Hong Kong, Macau, Taiwan, abroad — written with its country code and stored
 * as E.164 (`+85251234567`). See `domain/phone/buyer-phone.ts`.
 */
export const parseBuyerPhone: Parse<string> = (value, field) =>
  phoneField(
    readPhone(value, 'INTERNATIONAL'),
    field,
    `${field} must be an 11-digit mainland mobile number, or a number that starts with + and its country code (+852 for Hong Kong).`,
  );

function phoneField(reading: PhoneReading, field: string, invalid: string): Result<string> {
  if (reading.ok) return ok(reading.phone);
  if (reading.reason === 'BLANK') return required(field);
  if (reading.reason === 'NOT_A_STRING') return reject(field, 'INVALID_TYPE', `${field} must be a string.`);
  return reject(field, 'INVALID_PHONE', invalid);
}
