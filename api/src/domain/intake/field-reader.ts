import type { FieldError } from '../shared/result.js';
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
 * Fields a channel is known to send that its adapter does not read (or reads only in some cases),
 * by the path of the object that holds them with indexes left out: `''` for the order itself,
 * `'orders.order[]'` for each Taobao line. Any other field nobody read is reported as unknown.
 */
export type KnownFields = Readonly<Record<string, readonly string[]>>;

/** A sound payload with the fields it carried that the platform does not know, or its defects. */
export type Parsed<T> = { ok: true; value: T; warnings: FieldError[] } | { ok: false; errors: FieldError[] };

/**
 * Unknown fields reported per order, at most; past it the last warning says how many more there
 * were. A payload full of new fields still gets a short answer.
 */
export const MAX_UNKNOWN_FIELD_WARNINGS = 10;
/** A field name longer than this is cut in the warning's path. */
const MAX_KEY_IN_PATH = 64;

interface ReaderScope {
  errors: FieldError[];
  /** Every reader of this payload, to find the fields none of them read. */
  readers: FieldReader[];
  known: KnownFields;
}

/**
 * Reads one JSON object of an untrusted payload and collects every defect, each named by its full
 * dotted path (`orders[2].price`), so an adapter reports all of them at once instead of the first.
 * It also notes which fields were read: those nobody read and the channel is not known to send
 * come back as `UNKNOWN_FIELD` warnings, so nothing a sender adds is dropped without a word.
 *
 * After a defect is recorded a read returns the kind's placeholder, so the adapter can carry on
 * and find the next defect. Placeholders never leave the adapter: `finish` returns the assembled
 * order only when no defect was recorded anywhere in the payload.
 *
 * A reader made for a required object that is missing is muted: it has already reported the
 * object as missing, so its fields stay silent instead of repeating the news once per field.
 */
export class FieldReader {
  private readonly read = new Set<string>();

  private constructor(
    private readonly source: Record<string, unknown>,
    private readonly prefix: string,
    private readonly scope: ReaderScope,
    private readonly muted: boolean,
  ) {
    scope.readers.push(this);
  }

  /**
   * A reader for a whole payload. Anything but a JSON object is reported against `$`. `known`
   * lists the fields the channel sends that are not always read (see `KnownFields`).
   */
  static root(raw: unknown, known: KnownFields = {}): FieldReader {
    const scope: ReaderScope = { errors: [], readers: [], known };
    if (isRecord(raw)) return new FieldReader(raw, '', scope, false);
    const reader = new FieldReader({}, '', scope, true);
    scope.errors.push(fieldError('$', 'INVALID_TYPE', 'The order payload must be a JSON object.'));
    return reader;
  }

  private get errors(): FieldError[] {
    return this.scope.errors;
  }

  private child(value: Record<string, unknown>, path: string, muted: boolean): FieldReader {
    return new FieldReader(value, path, this.scope, muted);
  }

  /** The full path of a field of this object. */
  pathOf(key: string): string {
    return this.prefix ? `${this.prefix}.${key}` : key;
  }

  /** The field's raw value, for shapes a `FieldKind` does not cover. */
  raw(key: string): unknown {
    this.read.add(key);
    return this.source[key];
  }

  has(key: string): boolean {
    this.read.add(key);
    return !isAbsent(this.source[key]);
  }

  required<T>(key: string, kind: FieldKind<T>): T {
    this.read.add(key);
    const value = this.source[key];
    if ((kind.isAbsent ?? isAbsent)(value)) {
      this.report(key, 'REQUIRED', `${this.pathOf(key)} is required.`);
      return kind.placeholder;
    }
    return this.parse(value, key, kind) ?? kind.placeholder;
  }

  /** The value, or null when not given. A malformed value is reported and also read as null. */
  optional<T>(key: string, kind: FieldKind<T>): T | null {
    this.read.add(key);
    const value = this.source[key];
    if ((kind.isAbsent ?? isAbsent)(value)) return null;
    return this.parse(value, key, kind);
  }

  /** A nested object that must be present; muted when it is not (see the class comment). */
  object(key: string): FieldReader {
    this.read.add(key);
    const value = this.source[key];
    if (isRecord(value)) return this.child(value, this.pathOf(key), this.muted);
    if (isAbsent(value)) this.report(key, 'REQUIRED', `${this.pathOf(key)} is required.`);
    else this.report(key, 'INVALID_TYPE', `${this.pathOf(key)} must be an object.`);
    return this.child({}, this.pathOf(key), true);
  }

  /** The order lines: a non-empty array of objects, one reader per line (`key[i]`). */
  lines(key: string): FieldReader[] {
    this.read.add(key);
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
      if (isRecord(line)) readers.push(this.child(line, path, this.muted));
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
   * The assembled value and its unknown fields when the whole payload was sound, every recorded
   * defect otherwise. Called once, on the root reader; nested readers share its defect list.
   */
  finish<T>(value: T): Parsed<T> {
    if (this.errors.length > 0) return { ok: false, errors: [...this.errors] };
    return { ok: true, value, warnings: this.unknownFields() };
  }

  /** Fields of every reader of this payload that nobody read and the channel is not known to send. */
  private unknownFields(): FieldError[] {
    const paths: string[] = [];
    for (const reader of this.scope.readers) {
      if (reader.muted) continue;
      const known = this.scope.known[reader.prefix.replace(/\[\d+\]/g, '[]')] ?? [];
      for (const key of Object.keys(reader.source)) {
        if (reader.read.has(key) || known.includes(key)) continue;
        const name = key.length > MAX_KEY_IN_PATH ? `${key.slice(0, MAX_KEY_IN_PATH)}…` : key;
        paths.push(reader.pathOf(name));
      }
    }
    const listed = paths.length > MAX_UNKNOWN_FIELD_WARNINGS ? MAX_UNKNOWN_FIELD_WARNINGS - 1 : paths.length;
    const warnings = paths
      .slice(0, listed)
      .map((path) =>
        fieldError(
          path,
          'UNKNOWN_FIELD',
          `${path} is not a field this channel's format has here; it was not stored.`,
        ),
      );
    if (listed < paths.length) {
      const more = paths.length - listed;
      warnings.push(fieldError('$', 'UNKNOWN_FIELDS_OMITTED', `${more} more unknown fields, not listed.`));
    }
    return warnings;
  }

  /** The parsed value, or null after recording why it could not be parsed. */
  private parse<T>(value: unknown, key: string, kind: FieldKind<T>): T | null {
    const parsed = kind.parse(value, this.pathOf(key));
    if (parsed.ok) return parsed.value;
    if (!this.muted) this.errors.push(...parsed.errors);
    return null;
  }
}
