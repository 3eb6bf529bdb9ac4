import { createPublicKey, type KeyObject } from 'node:crypto';
import { ConfigError } from '../../config/config.js';
import { DEFAULT_UNIONPAY_COLUMNS, type UnionPayColumns } from '../../domain/bills/unionpay.js';
import { GATEWAYS, type MatchingSettings } from '../../domain/reconciliation/reconciliation-types.js';

/** How reconciliation runs here, from `RECONCILIATION_*` variables. */
export interface ReconciliationSettings {
  matching: MatchingSettings;
  /** Agenda cron of the daily run. @default `0 2 * * *` (02:00) */
  cron: string;
  /** @default Asia/Shanghai */
  timezone: string;
  /** Days the daily run looks back for days never reconciled (a worker down). @default 7 */
  catchUpDays: number;
  /** Folder the pick-up job imports bills from (`<channel>/<format>/<file>`); null: no pick-up. */
  billDir: string | null;
  unionPayColumns: UnionPayColumns;
  /** Gateway notifications: keys to verify them with, and whose order numbers they carry. */
  notify: GatewayNotifySettings;
}

export interface GatewayNotifySettings {
  /** `RECONCILIATION_ALIPAY_PUBLIC_KEY` (PEM, or the base64 DER Alipay shows); null: endpoint off. */
  alipayPublicKey: KeyObject | null;
  /** `RECONCILIATION_WECHATPAY_PLATFORM_KEYS` ({"<serial>": "<PEM>"}); empty: endpoint off. */
  wechatpayKeys: ReadonlyMap<string, KeyObject>;
  /** `RECONCILIATION_WECHATPAY_APIV3_KEY`, 32 characters. */
  wechatpayApiV3Key: string | null;
  /** `RECONCILIATION_NOTIFY_CHANNEL`: the channel whose order numbers notifications carry. @default WEBSHOP */
  channel: string;
}

function publicKey(name: string, text: string): KeyObject {
  try {
    const pem = text.includes('BEGIN')
      ? text
      : `-----BEGIN PUBLIC KEY-----\n${text}\n-----END PUBLIC KEY-----`;
    return createPublicKey(pem.replaceAll('\\n', '\n'));
  } catch {
    throw new ConfigError(name, 'not a public key (PEM or base64 DER)');
  }
}

function notifySettings(env: Env): GatewayNotifySettings {
  const alipay = env.RECONCILIATION_ALIPAY_PUBLIC_KEY?.trim();
  const wechat = (json(env, 'RECONCILIATION_WECHATPAY_PLATFORM_KEYS') ?? {}) as Record<string, unknown>;
  const keys = new Map<string, KeyObject>();
  for (const [serial, pem] of Object.entries(wechat)) {
    if (typeof pem !== 'string')
      throw new ConfigError('RECONCILIATION_WECHATPAY_PLATFORM_KEYS', `${serial} must be a PEM string`);
    keys.set(serial, publicKey('RECONCILIATION_WECHATPAY_PLATFORM_KEYS', pem));
  }
  const apiV3 = env.RECONCILIATION_WECHATPAY_APIV3_KEY?.trim() || null;
  if (apiV3 !== null && Buffer.byteLength(apiV3) !== 32)
    throw new ConfigError('RECONCILIATION_WECHATPAY_APIV3_KEY', 'must be 32 characters');
  return {
    alipayPublicKey: alipay ? publicKey('RECONCILIATION_ALIPAY_PUBLIC_KEY', alipay) : null,
    wechatpayKeys: keys,
    wechatpayApiV3Key: apiV3,
    channel: env.RECONCILIATION_NOTIFY_CHANNEL?.trim() || 'WEBSHOP',
  };
}

export const DEFAULT_MATCHING: MatchingSettings = {
  fees: {
    WECHAT: { rateBp: 60, toleranceCents: 0 },
    ALIPAY: { rateBp: 60, toleranceCents: 0 },
    UNIONPAY: { rateBp: 50, toleranceCents: 0 },
  },
  settlementDays: { WEBSHOP: 1, TAOBAO: 7, JD: 7, DOUYIN: 7 },
  defaultSettlementDays: 3,
};

type Env = Record<string, string | undefined>;

function json(env: Env, name: string): unknown {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ConfigError(name, 'expected JSON');
  }
}

const wholeNumber = (v: unknown, max: number) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;

/**
 * `RECONCILIATION_FEES` ({"WECHAT":{"rateBp":60,"toleranceCents":1}}), `RECONCILIATION_SETTLEMENT_DAYS`
 * ({"TAOBAO":7}), `RECONCILIATION_CRON`, `RECONCILIATION_TIMEZONE`, `RECONCILIATION_CATCH_UP_DAYS`,
 * `RECONCILIATION_BILL_DIR`, `RECONCILIATION_UNIONPAY_COLUMNS` ({"orderId":"商户订单号",…}).
 */
export function reconciliationSettings(env: Env): ReconciliationSettings {
  const fees = json(env, 'RECONCILIATION_FEES') ?? DEFAULT_MATCHING.fees;
  if (typeof fees !== 'object' || fees === null)
    throw new ConfigError('RECONCILIATION_FEES', 'expected an object');
  for (const [gateway, terms] of Object.entries(fees)) {
    if (!(GATEWAYS as readonly string[]).includes(gateway))
      throw new ConfigError('RECONCILIATION_FEES', `"${gateway}" is not one of ${GATEWAYS.join(', ')}`);
    const t = terms as { rateBp?: unknown; toleranceCents?: unknown };
    if (!wholeNumber(t.rateBp, 10_000) || !wholeNumber(t.toleranceCents, 1_000_000))
      throw new ConfigError(
        'RECONCILIATION_FEES',
        `${gateway} needs whole rateBp (0..10000) and toleranceCents`,
      );
  }
  const days = json(env, 'RECONCILIATION_SETTLEMENT_DAYS') ?? DEFAULT_MATCHING.settlementDays;
  for (const [channel, n] of Object.entries(days as object))
    if (!wholeNumber(n, 60))
      throw new ConfigError('RECONCILIATION_SETTLEMENT_DAYS', `${channel} needs whole days 0..60`);
  const columns = {
    ...DEFAULT_UNIONPAY_COLUMNS,
    ...((json(env, 'RECONCILIATION_UNIONPAY_COLUMNS') as object) ?? {}),
  };
  for (const [field, column] of Object.entries(columns))
    if (column !== null && typeof column !== 'string')
      throw new ConfigError('RECONCILIATION_UNIONPAY_COLUMNS', `${field} must name a column`);
  const catchUp = env.RECONCILIATION_CATCH_UP_DAYS?.trim() || '7';
  if (!/^\d+$/.test(catchUp) || Number(catchUp) > 60)
    throw new ConfigError(
      'RECONCILIATION_CATCH_UP_DAYS',
      `expected a whole number up to 60, got "${catchUp}"`,
    );
  return {
    matching: {
      fees: fees as MatchingSettings['fees'],
      settlementDays: days as Record<string, number>,
      defaultSettlementDays: DEFAULT_MATCHING.defaultSettlementDays,
    },
    cron: env.RECONCILIATION_CRON?.trim() || '0 2 * * *',
    timezone: env.RECONCILIATION_TIMEZONE?.trim() || 'Asia/Shanghai',
    catchUpDays: Number(catchUp),
    billDir: env.RECONCILIATION_BILL_DIR?.trim() || null,
    unionPayColumns: columns as UnionPayColumns,
    notify: notifySettings(env),
  };
}
