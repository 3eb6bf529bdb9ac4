/**
 * Money as integer cents in `bigint`: 64-bit safe end to end (PostgreSQL `bigint`, GraphQL
 * strings). Bills write yuan with two decimals ("1,234.50", "-0.01", "¥12.00"); they are parsed
 * here exactly, never through floating point.
 */
export type Cents = bigint;

export const CURRENCIES = ['CNY'] as const;
export type Currency = (typeof CURRENCIES)[number];

const YUAN = /^([+-])?(\d{1,17})(?:\.(\d{1,2}))?$/;
/** PostgreSQL `bigint`: amounts beyond it are refused, not wrapped. */
const MAX_CENTS = 2n ** 63n - 1n;
const FEN = /^([+-])?(\d{1,19})$/;

/** "12.3" → 1230n; thousands separators and a leading ¥ are allowed; null when not an amount. */
export function parseYuan(text: string): Cents | null {
  const cleaned = text.trim().replace(/^¥/, '').replaceAll(',', '');
  const match = YUAN.exec(cleaned);
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  if (cents > MAX_CENTS) return null;
  return sign === '-' ? -cents : cents;
}

/** An amount already in fen ("1230"), as UnionPay sends `txnAmt`. */
export function parseFen(text: string): Cents | null {
  const match = FEN.exec(text.trim());
  if (!match) return null;
  const cents = BigInt(match[2]);
  if (cents > MAX_CENTS) return null;
  return match[1] === '-' ? -cents : cents;
}

/** 1230n → "12.30"; -5n → "-0.05". */
export function formatYuan(cents: Cents): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${abs / 100n}.${fraction}`;
}

/** `amount × rateBp / 10000`, rounded half up to the fen, as the gateways round their fees. */
export function feeFor(amount: Cents, rateBp: number): Cents {
  const abs = amount < 0n ? -amount : amount;
  const fee = (abs * BigInt(rateBp) + 5000n) / 10000n;
  return amount < 0n ? -fee : fee;
}

export const absCents = (value: Cents): Cents => (value < 0n ? -value : value);
