import { describe, expect, it } from 'vitest';
import type { Channel } from '../../../api/src/domain/order/order-types.js';
import {
  createParseHealthState,
  decideRoutingMode,
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
      policy: { windowMinutes: 15, threshold: 0.95, minSamples: 20 },
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
    expect(health.belowThreshold).toBe(true);
    expect(health.channelsBelowThreshold).toEqual(['TAOBAO']);
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
    expect(parseHealth(s, minutes(0)).belowThreshold).toBe(false);
    expect(
      parseHealth(recordParse(s, { channel: 'TAOBAO', ok: false, at: minutes(0) }), minutes(0))
        .belowThreshold,
    ).toBe(true);
  });

  it('flags one broken channel even when the overall rate looks healthy', () => {
    let s = createParseHealthState();
    s = record(s, minutes(0), 1000, 0, 'TAOBAO');
    s = record(s, minutes(0), 0, 25, 'DOUYIN');
    const health = parseHealth(s, minutes(1));
    expect(health.overall.rate).toBeGreaterThan(0.95);
    expect(health.channelsBelowThreshold).toEqual(['DOUYIN']);
    expect(health.belowThreshold).toBe(true);
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
  });
});

describe('decideRoutingMode', () => {
  /** Health at 02:10 with `ok` of `total` Taobao parses in the window. */
  const healthOf = (ok: number, total: number) =>
    parseHealth(record(createParseHealthState(), minutes(10), ok, total - ok), minutes(10));

  it('pauses when the rate drops below the threshold with enough samples', () => {
    expect(decideRoutingMode('ACTIVE', healthOf(90, 100), { autoResume: true })).toEqual({
      mode: 'PAUSED',
      changed: true,
      reason:
        '总体地址解析成功率 90.0%（90/100）；渠道 淘宝(TAOBAO) 地址解析成功率 90.0%（90/100），低于 95.0%，暂停自动分配',
    });
  });

  it('never pauses on a handful of samples, however bad', () => {
    expect(decideRoutingMode('ACTIVE', healthOf(0, 19), { autoResume: true })).toMatchObject({
      mode: 'ACTIVE',
      changed: false,
    });
  });

  it('stays active at exactly the threshold', () => {
    expect(decideRoutingMode('ACTIVE', healthOf(95, 100), { autoResume: true })).toMatchObject({
      mode: 'ACTIVE',
      changed: false,
      reason: '近 15 分钟地址解析成功率 95.0%（95/100），正常',
    });
  });

  it('does not resume between the threshold and the resume threshold (hysteresis)', () => {
    expect(decideRoutingMode('PAUSED', healthOf(96, 100), { autoResume: true })).toEqual({
      mode: 'PAUSED',
      changed: false,
      reason:
        '总体地址解析成功率 96.0%（96/100）；渠道 淘宝(TAOBAO) 地址解析成功率 96.0%（96/100），未达到恢复阈值 97.0%，保持暂停',
    });
  });

  it('resumes at the resume threshold, by default threshold + 2 points', () => {
    expect(decideRoutingMode('PAUSED', healthOf(97, 100), { autoResume: true })).toEqual({
      mode: 'ACTIVE',
      changed: true,
      reason: '近 15 分钟地址解析成功率 97.0%（97/100），达到恢复阈值 97.0%，自动恢复分配',
    });
    expect(
      decideRoutingMode('PAUSED', healthOf(97, 100), { autoResume: true, resumeThreshold: 0.99 }).mode,
    ).toBe('PAUSED');
  });

  it('never resumes on a handful of samples, however good', () => {
    expect(decideRoutingMode('PAUSED', healthOf(19, 19), { autoResume: true })).toMatchObject({
      mode: 'PAUSED',
      changed: false,
      reason: '近 15 分钟地址解析成功率 100.0%（19/19），样本不足 20，保持暂停',
    });
  });

  it('without autoResume stays paused until an operator resumes', () => {
    expect(decideRoutingMode('PAUSED', healthOf(100, 100), { autoResume: false })).toMatchObject({
      mode: 'PAUSED',
      changed: false,
      reason: '近 15 分钟地址解析成功率 100.0%（100/100），已暂停，需人工恢复',
    });
  });

  it('does not resume while one channel with enough samples is still below the resume threshold', () => {
    let s = createParseHealthState();
    s = record(s, minutes(0), 1000, 0, 'TAOBAO');
    s = record(s, minutes(0), 24, 1, 'JD');
    const decision = decideRoutingMode('PAUSED', parseHealth(s, minutes(1)), { autoResume: true });
    expect(decision).toMatchObject({ mode: 'PAUSED', changed: false });
    expect(decision.reason).toContain('渠道 京东(JD) 地址解析成功率 96.0%（24/25）');
  });

  it('does not flap when the rate wobbles around the threshold', () => {
    let mode: 'ACTIVE' | 'PAUSED' = 'ACTIVE';
    const modes: string[] = [];
    for (const ok of [94, 95, 96, 94, 96, 95, 97, 96, 95]) {
      mode = decideRoutingMode(mode, healthOf(ok, 100), { autoResume: true }).mode;
      modes.push(mode);
    }
    expect(modes).toEqual([
      'PAUSED',
      'PAUSED',
      'PAUSED',
      'PAUSED',
      'PAUSED',
      'PAUSED',
      'ACTIVE',
      'ACTIVE',
      'ACTIVE',
    ]);
  });

  it('rejects a resume threshold below the pause threshold, which would flap', () => {
    expect(() =>
      decideRoutingMode('PAUSED', healthOf(97, 100), { autoResume: true, resumeThreshold: 0.9 }),
    ).toThrow(RangeError);
  });
});
