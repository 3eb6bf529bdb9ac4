/** A defect in input, named by the field that carries it. `code` is stable and machine-readable. */
export interface FieldError {
  /** Dotted path into the input, e.g. `orders[3].receiver_mobile` or `items[0].price`. */
  field: string;
  /** Stable upper-snake code, e.g. `REQUIRED`, `INVALID_MONEY`, `INVALID_TIME`. */
  code: string;
  /** A sentence an operator can act on. Never contains personal data. */
  message: string;
}

export type Result<T, E = FieldError[]> = { ok: true; value: T } | { ok: false; errors: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(errors: E): Result<never, E> => ({ ok: false, errors });
