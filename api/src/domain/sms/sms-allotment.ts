/** One SMS asked for, as the allotment sees it. */
export interface SmsAsk {
  /** Same cause, same key: asked twice, sent once. */
  dedupeKey: string;
  /** A keyed digest of the phone, for the per-phone limit. */
  phoneDigest: string;
  /** At most this many SMS to the phone per Shanghai day. */
  perPhonePerDay: number;
}

export type SmsAllotment = 'QUEUE' | 'DUPLICATE' | 'PHONE_LIMIT';

/**
 * Decides, in the order asked, which SMS of a batch go out: a key already recorded (or asked
 * earlier in the batch) is a duplicate; a phone that reached its daily limit, counting what was
 * sent today and what this batch already queued for it, gets nothing more.
 */
export function allotSms(
  asks: readonly SmsAsk[],
  sentToday: ReadonlyMap<string, number>,
  recordedKeys: ReadonlySet<string>,
): SmsAllotment[] {
  const keys = new Set(recordedKeys);
  const counts = new Map(sentToday);
  return asks.map((ask) => {
    if (keys.has(ask.dedupeKey)) return 'DUPLICATE';
    const sent = counts.get(ask.phoneDigest) ?? 0;
    if (sent >= ask.perPhonePerDay) return 'PHONE_LIMIT';
    keys.add(ask.dedupeKey);
    counts.set(ask.phoneDigest, sent + 1);
    return 'QUEUE';
  });
}
