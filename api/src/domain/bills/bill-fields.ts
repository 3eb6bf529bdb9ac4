import { type Cents, parseFen, parseYuan } from '../reconciliation/money.js';
import { SHANGHAI_OFFSET_MS } from '../sla/business-time.js';
import { type NamedRow, RowDefect } from './table-sheet.js';

/** A required text cell. */
export function required(row: NamedRow, column: string): string {
  const value = row.text(column);
  if (value === '') throw new RowDefect(column, `${column} is empty`);
  return value;
}

/** A yuan amount; an empty optional cell is zero. */
export function yuan(row: NamedRow, column: string, optional = false): Cents {
  const value = row.text(column);
  if (value === '' && optional) return 0n;
  const cents = parseYuan(value);
  if (cents === null)
    throw new RowDefect(column, `${column} is not an amount in yuan: "${value.slice(0, 40)}"`);
  return cents;
}

export function fen(row: NamedRow, column: string): Cents {
  const value = row.text(column);
  const cents = parseFen(value);
  if (cents === null)
    throw new RowDefect(column, `${column} is not an amount in fen: "${value.slice(0, 40)}"`);
  return cents;
}

const LOCAL_TIME = /^(\d{4})-?(\d{2})-?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})$/;

/** `yyyy-MM-dd HH:mm:ss` or `yyyyMMddHHmmss`, Shanghai time. */
export function parseShanghaiTime(text: string): Date | null {
  const match = LOCAL_TIME.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return new Date(utc - SHANGHAI_OFFSET_MS);
}

export function time(row: NamedRow, column: string): Date {
  const value = row.text(column);
  const instant = parseShanghaiTime(value);
  if (!instant)
    throw new RowDefect(column, `${column} is not a time (yyyy-MM-dd HH:mm:ss): "${value.slice(0, 40)}"`);
  return instant;
}

/** The first of `columns` the header has a value for (old and new names of one column). */
export function firstOf(row: NamedRow, columns: readonly string[]): string {
  return columns.find((c) => row.text(c) !== '') ?? columns[0];
}
