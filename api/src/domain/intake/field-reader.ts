import { type FieldError, fail, ok, type Result } from '../shared/result.js';
import {
  fieldError,
  type IntakeErrorCode,
  isAbsent,
  isRecord,
  type Parse,
  parseBuyerPhone,
  parseCents,
  parseChannelId,
  parseChineseMobile,
  parseFlag,
  parseIsoInstant,
  parseQuantity,
  parseShanghaiTime,
  parseStatusCode,
  parseText,
  parseUnixSeconds,
  parseYuanCents,
} from './parse-helpers.js';

/** A parser plus the stand-in a `FieldReader` returns after recording that parser's defect. */
export interface FieldKind<T> {
  parse: Parse<T>;
  placeholder: T;
  /** What counts as "not given". @default undefined, null or a blank string */
  isAbsent?: (value: unknown) => boolean;
}

const INVALID_DATE = new Date(Number.NaN);

export const TEXT: FieldKind<string> = { parse: parseText, placeholder: '' };
export const CHANNEL_ID: FieldKind<string> = { parse: parseChannelId, placeholder: '' };
export const STATUS_CODE: FieldKind<string> = { parse: parseStatusCode, placeholder: '' };
export const FLAG: FieldKind<boolean> = { parse: parseFlag, placeholder: false };
export const QUANTITY: FieldKind<number> = { parse: parseQuantity, placeholder: 1 };
export const YUAN: FieldKind<number> = { parse: parseYuanCents, placeholder: 0 };
export const CENTS: FieldKind<number> = { parse: parseCents, placeholder: 0 };
export const MOBILE: FieldKind<string> = { parse: parseChineseMobile, placeholder: '' };
/** The web shop's buyers may live outside the mainland: E.164 for them (see `parseBuyerPhone`). */
export const BUYER_PHONE: FieldKind<string> = { parse: parseBuyerPhone, placeholder: '' };
export const SHANGHAI_TIME: FieldKind<Date> = { parse: parseShanghaiTime, placeholder: INVALID_DATE };
export const ISO_TIME: FieldKind<Date> = { parse: parseIsoInstant, placeholder: INVALID_DATE };
/** Douyin sends 0 for a time that has not happened yet. */
export const UNIX_TIME: FieldKind<Date> = {
  parse: parseUnixSeconds,
  placeholder: INVALID_DATE,
  isAbsent: (value) => isAbsent(value) || value === 0 || value === '0',
};

/**
 * Reads one JSON object of an untrusted payload and collects every defect, each named by its full
 * dotted path (`orders[2].price`), so an adapter reports all of them at once instead of the first.
 *
 * After a defect is recorded a read returns the kind's placeholder, so the adapter can carry on
 * and find the next defect. Placeholders never leave the adapter: `finish` returns the assembled
 * order only when no defect was recorded anywhere in the payload.
 *
 * A reader made for a required object that is missing is muted: it has already reported the
 * object as missing, so its fields stay silent instead of repeating the news once per field.
 */
export class FieldReader {
  private constructor(
    private readonly source: Record<string, unknown>,
    private readonly prefix: string,
    private readonly errors: FieldError[],
    private readonly muted: boolean,
  ) {}

  /** A reader for a whole payload. Anything but a JSON object is reported against `$`. */
  static root(raw: unknown): FieldReader {
    if (isRecord(raw)) return new FieldReader(raw, '', [], false);
    const reader = new FieldReader({}, '', [], true);
    reader.errors.push(fieldError('$', 'INVALID_TYPE', 'The order payload must be a JSON object.'));
    return reader;
  }

  /** The full path of a field of this object. */
  pathOf(key: string): string {
    return this.prefix ? `${this.prefix}.${key}` : key;
  }

  /** The field's raw value, for shapes a `FieldKind` does not cover. */
  raw(key: string): unknown {
    return this.source[key];
  }

  has(key: string): boolean {
    return !isAbsent(this.source[key]);
  }

  required<T>(key: string, kind: FieldKind<T>): T {
    const value = this.source[key];
    if ((kind.isAbsent ?? isAbsent)(value)) {
      this.report(key, 'REQUIRED', `${this.pathOf(key)} is required.`);
      return kind.placeholder;
    }
    return this.parse(value, key, kind) ?? kind.placeholder;
  }

  /** The value, or null when not given. A malformed value is reported and also read as null. */
  optional<T>(key: string, kind: FieldKind<T>): T | null {
    const value = this.source[key];
    if ((kind.isAbsent ?? isAbsent)(value)) return null;
    return this.parse(value, key, kind);
  }

  /** A nested object that must be present; muted when it is not (see the class comment). */
  object(key: string): FieldReader {
    const value = this.source[key];
    if (isRecord(value)) return new FieldReader(value, this.pathOf(key), this.errors, this.muted);
    if (isAbsent(value)) this.report(key, 'REQUIRED', `${this.pathOf(key)} is required.`);
    else this.report(key, 'INVALID_TYPE', `${this.pathOf(key)} must be an object.`);
    return new FieldReader({}, this.pathOf(key), this.errors, true);
  }

  /** The order lines: a non-empty array of objects, one reader per line (`key[i]`). */
  lines(key: string): FieldReader[] {
    const value = this.source[key];
    const field = this.pathOf(key);
    if (!Array.isArray(value)) {
      if (isAbsent(value)) this.report(key, 'REQUIRED', `${field} is required.`);
      else this.report(key, 'INVALID_TYPE', `${field} must be an array.`);
      return [];
    }
    if (value.length === 0) {
      this.report(key, 'NO_ITEMS', `${field} has no lines; an order needs at least one.`);
      return [];
    }
    const readers: FieldReader[] = [];
    value.forEach((line, index) => {
      const path = `${field}[${index}]`;
      if (isRecord(line)) readers.push(new FieldReader(line, path, this.errors, this.muted));
      else if (!this.muted) this.errors.push(fieldError(path, 'INVALID_TYPE', `${path} must be an object.`));
    });
    return readers;
  }

  /** Records a defect of one of this object's fields. */
  report(key: string, code: IntakeErrorCode, message: string): void {
    if (!this.muted) this.errors.push(fieldError(this.pathOf(key), code, message));
  }

  /** Whether a defect was already recorded at or under this field; guards follow-up checks. */
  hasDefect(key: string): boolean {
    const path = this.pathOf(key);
    return this.errors.some(
      (e) => e.field === path || e.field.startsWith(`${path}.`) || e.field.startsWith(`${path}[`),
    );
  }

  /**
   * The assembled value when the whole payload was sound, every recorded defect otherwise. Called
   * once, on the root reader; nested readers share its defect list.
   */
  finish<T>(value: T): Result<T> {
    return this.errors.length === 0 ? ok(value) : fail([...this.errors]);
  }

  /** The parsed value, or null after recording why it could not be parsed. */
  private parse<T>(value: unknown, key: string, kind: FieldKind<T>): T | null {
    const parsed = kind.parse(value, this.pathOf(key));
    if (parsed.ok) return parsed.value;
    if (!this.muted) this.errors.push(...parsed.errors);
    return null;
  }
}
