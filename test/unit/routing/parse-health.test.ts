import { describe, expect, it } from 'vitest';
import type { Channel } from '../../../api/src/domain/order/order-types.js';
import {
  createParseHealthState,
  type ParseHealthState,
  parseHealth,
  recordParse,
} from '../../../api/src/domain/routing/parse-health.js';

const T0 = new Date('2026-03-02T02:00:00Z');
const minutes = (m: number, seconds = 0) => new Date(T0.getTime() + m * 60_000 + seconds * 1000);

/** Records `ok` successes and `failed` failures for a channel at one instant. */
function record(state: ParseHealthState, at: Date, ok: number, failed: number, channel: Channel = 'TAOBAO') {
  let next = state;
  for (let i = 0; i < ok; i++) next = recordParse(next, { channel, ok: true, at });
  for (let i = 0; i < failed; i++) next = recordParse(next, { channel, ok: false, at });
  return next;
}

describe('parseHealth', () => {
  it('reports no samples as rate null, not 100 %, and not below threshold', () => {
    expect(parseHealth(createParseHealthState(), T0)).toEqual({
      overall: { total: 0, ok: 0, rate: null },
      byChannel: {},
      channelsBelowThreshold: [],
      belowThreshold: false,
      policy: { windowMinutes: 15, threshold: 0.95, minSamples: 20, platformMinChannels: 2 },
    });
  });

  it('sums per channel and overall within the window', () => {
    let s = createParseHealthState();
    s = record(s, minutes(0), 18, 2, 'TAOBAO');
    s = record(s, minutes(3, 30), 10, 0, 'JD');
    const health = parseHealth(s, minutes(5));
    expect(health.overall).toEqual({ total: 30, ok: 28, rate: 28 / 30 });
    expect(health.byChannel).toEqual({
      TAOBAO: { total: 20, ok: 18, rate: 0.9 },
      JD: { total: 10, ok: 10, rate: 1 },
    });
    expect(health.channelsBelowThreshold).toEqual(['TAOBAO']);
    // One channel below, however low the overall rate, is not a drop across channels.
    expect(health.belowThreshold).toBe(false);
  });

  it('lets samples fall out of the window: the current minute and the 14 before it count', () => {
    let s = createParseHealthState();
    s = record(s, minutes(0, 59), 0, 30); // a burst of failures at 02:00
    s = record(s, minutes(10), 30, 0);
    expect(parseHealth(s, minutes(14, 59)).overall.total).toBe(60);
    expect(parseHealth(s, minutes(15)).overall).toEqual({ total: 30, ok: 30, rate: 1 });
    expect(parseHealth(s, minutes(15)).belowThreshold).toBe(false);
    expect(parseHealth(s, minutes(15), { windowMinutes: 16 }).overall.total).toBe(60);
  });

  it('ignores samples after now', () => {
    const s = record(createParseHealthState(), minutes(2), 5, 5);
    expect(parseHealth(s, minutes(1)).overall.total).toBe(0);
  });

  it('needs minSamples before calling a scope below threshold', () => {
    const s = record(createParseHealthState(), minutes(0), 0, 19);
    expect(parseHealth(s, minutes(0)).channelsBelowThreshold).toEqual([]);
    expect(
      parseHealth(recordParse(s, { channel: 'TAOBAO', ok: false, at: minutes(0) }), minutes(0))
        .channelsBelowThreshold,
    ).toEqual(['TAOBAO']);
  });

  it('is below across channels only with platformMinChannels channels below and the overall rate too', () => {
    let s = createParseHealthState();
    s = record(s, minutes(0), 0, 20, 'TAOBAO');
    expect(parseHealth(s, minutes(0)).belowThreshold).toBe(false);
    expect(parseHealth(s, minutes(0), { platformMinChannels: 1 }).belowThreshold).toBe(true);
    s = record(s, minutes(0), 0, 20, 'JD');
    expect(parseHealth(s, minutes(0)).belowThreshold).toBe(true);
    // Two small channels broken, a large one healthy: the overall rate holds, nothing pauses platform-wide.
    s = record(s, minutes(0), 2000, 0, 'DOUYIN');
    const health = parseHealth(s, minutes(0));
    expect(health.channelsBelowThreshold).toEqual(['TAOBAO', 'JD']);
    expect(health.belowThreshold).toBe(false);
  });

  it('leaves out minutes begun before countFrom', () => {
    let s = createParseHealthState();
    s = record(s, minutes(0), 0, 30);
    s = record(s, minutes(5), 10, 0);
    expect(parseHealth(s, minutes(6), {}, minutes(4, 30)).overall).toEqual({ total: 10, ok: 10, rate: 1 });
    expect(parseHealth(s, minutes(6), {}, minutes(5)).overall.total).toBe(10);
    expect(parseHealth(s, minutes(6), {}, null).overall.total).toBe(40);
  });

  it('flags one broken channel even when the overall rate looks healthy', () => {
    let s = createParseHealthState();
    s = record(s, minutes(0), 1000, 0, 'TAOBAO');
    s = record(s, minutes(0), 0, 25, 'DOUYIN');
    const health = parseHealth(s, minutes(1));
    expect(health.overall.rate).toBeGreaterThan(0.95);
    expect(health.channelsBelowThreshold).toEqual(['DOUYIN']);
    expect(health.belowThreshold).toBe(false);
  });

  it('keeps memory bounded: one bucket per minute, none older than the retention', () => {
    let s = createParseHealthState(60);
    for (let m = 0; m < 300; m++) s = record(s, minutes(m), 3, 1);
    expect(s.buckets).toHaveLength(60);
    expect(s.buckets[0].minute).toBe(Math.floor(minutes(240).getTime() / 60_000));
    expect(s.buckets[59].counts.TAOBAO).toEqual({ total: 4, ok: 3 });
  });

  it('files a late sample into its own minute and drops one older than the retention', () => {
    let s = record(createParseHealthState(60), minutes(30), 1, 0);
    s = recordParse(s, { channel: 'JD', ok: false, at: minutes(20) });
    expect(s.buckets.map((b) => b.minute - s.buckets[1].minute)).toEqual([-10, 0]);
    const tooOld = recordParse(s, { channel: 'JD', ok: false, at: minutes(-30) });
    expect(tooOld).toBe(s);
  });

  it('does not change the state it was given', () => {
    const before = record(createParseHealthState(), minutes(0), 1, 0);
    const snapshot = structuredClone(before);
    recordParse(before, { channel: 'TAOBAO', ok: false, at: minutes(0) });
    expect(before).toEqual(snapshot);
  });

  it('rejects a window longer than the retention, and nonsense thresholds', () => {
    const s = createParseHealthState(30);
    expect(() => parseHealth(s, T0, { windowMinutes: 31 })).toThrow(RangeError);
    expect(() => parseHealth(s, T0, { threshold: 0 })).toThrow(RangeError);
    expect(() => parseHealth(s, T0, { minSamples: 0 })).toThrow(RangeError);
    expect(() => parseHealth(s, T0, { platformMinChannels: 0 })).toThrow(RangeError);
  });
});
