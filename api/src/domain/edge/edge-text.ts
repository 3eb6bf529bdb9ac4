import type { FieldError } from '../shared/result.js';

/**
 * Text every store can hold, checked on untrusted input before anything parses it. PostgreSQL
 * `text` and `jsonb` refuse NUL, and UTF-8 cannot encode a lone UTF-16 surrogate, so one such
 * character used to fail a whole batch at the database; here it is a field error on its item.
 */

/** Longest string any channel or event field may carry, in UTF-16 units. */
export const MAX_TEXT_CHARS = 65_536;
/** Deepest nesting of arrays and objects in one item. */
export const MAX_NESTING = 16;
/** Defects reported per item; the rest are summarised by the first ones. */
const MAX_DEFECTS = 10;

/**
 * Every defect of the strings (values and keys) in `value`: NUL, lone surrogates, strings over
 * {@link MAX_TEXT_CHARS}, nesting over {@link MAX_NESTING}. `field` is the dotted path from
 * `prefix`. Own keys only: `__proto__` and `constructor` are names like any other.
 */
export function textDefects(value: unknown, prefix = ''): FieldError[] {
  const defects: FieldError[] = [];
  walk(value, prefix, 0, defects);
  return defects;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `text` can be stored: no NUL and no lone surrogate. */
export function isRepresentable(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

function walk(value: unknown, path: string, depth: number, defects: FieldError[]): void {
  if (defects.length >= MAX_DEFECTS) return;
  if (typeof value === 'string') {
    const defect = stringDefect(value, path);
    if (defect) defects.push(defect);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth >= MAX_NESTING) {
    defects.push({ field: path, code: 'TOO_DEEP', message: `nested deeper than ${MAX_NESTING} levels` });
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && defects.length < MAX_DEFECTS; i++)
      walk(value[i], `${path}[${i}]`, depth + 1, defects);
    return;
  }
  for (const key of Object.keys(value)) {
    if (defects.length >= MAX_DEFECTS) return;
    const keyDefect = stringDefect(key, path ? `${path}.<key>` : '<key>');
    if (keyDefect) {
      defects.push(keyDefect);
      continue;
    }
    walk((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, depth + 1, defects);
  }
}

function stringDefect(text: string, field: string): FieldError | null {
  if (text.length > MAX_TEXT_CHARS)
    return { field, code: 'TOO_LONG', message: `longer than ${MAX_TEXT_CHARS} characters` };
  if (text.includes('\u0000'))
    return { field, code: 'UNREPRESENTABLE_TEXT', message: 'contains a NUL character' };
  if (LONE_SURROGATE.test(text))
    return {
      field,
      code: 'UNREPRESENTABLE_TEXT',
      message: 'contains a lone UTF-16 surrogate (not valid Unicode text)',
    };
  return null;
}
