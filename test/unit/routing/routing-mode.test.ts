import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, type Channel } from '../../../api/src/domain/order/order-types.js';
import {
  createParseHealthState,
  DEFAULT_PARSE_HEALTH_POLICY,
  decideChannelMode,
  decideRoutingMode,
  decideRoutingModes,
  type ParseHealthState,
  parseHealth,
  type RoutingMode,
  type RoutingModes,
  recordParse,
  routesChannel,
} from '../../../api/src/domain/routing/parse-health.js';

const T0 = new Date('2026-03-02T02:00:00Z');
const minutes = (m: number, seconds = 0) => new Date(T0.getTime() + m * 60_000 + seconds * 1000);
const POLICY = DEFAULT_PARSE_HEALTH_POLICY;

/** Records `ok` successes and `failed` failures for a channel at one instant. */
function record(state: ParseHealthState, at: Date, ok: number, failed: number, channel: Channel) {
  let next = state;
  for (let i = 0; i < ok; i++) next = recordParse(next, { channel, ok: true, at });
  for (let i = 0; i < failed; i++) next = recordParse(next, { channel, ok: false, at });
  return next;
}

const allActive: RoutingModes = {
  platform: { mode: 'ACTIVE', autoResume: true, activeSince: null },
  channels: {},
};

describe('decideRoutingMode (the whole platform)', () => {
  /** Health at 02:10 with `ok` of `total` parses in each of Taobao and JD. */
  const healthOf = (ok: number, total: number) => {
    let s = createParseHealthState();
    s = record(s, minutes(10), ok, total - ok, 'TAOBAO');
    s = record(s, minutes(10), ok, total - ok, 'JD');
    return parseHealth(s, minutes(10));
  };

  it('pauses when the overall rate and two channels drop below the threshold', () => {
    expect(decideRoutingMode('ACTIVE', healthOf(90, 100), { autoResume: true })).toEqual({
      mode: 'PAUSED',
      changed: true,
      reason:
        '近 15 分钟总体地址解析成功率 90.0%（180/200），且 2 个渠道低于 95.0%（淘宝(TAOBAO) 90.0%（90/100）；京东(JD) 90.0%（90/100）），暂停全平台自动分配',
    });
  });

  it('never pauses the platform for one channel, however low it drags the overall rate', () => {
    let s = createParseHealthState();
    s = record(s, minutes(0), 0, 500, 'WEBSHOP');
    s = record(s, minutes(0), 30, 0, 'TAOBAO');
    const decision = decideRoutingMode('ACTIVE', parseHealth(s, minutes(1)), { autoResume: true });
    expect(decision).toEqual({
      mode: 'ACTIVE',
      changed: false,
      reason:
        '近 15 分钟总体地址解析成功率 5.7%（30/530）；1 个渠道低于 95.0%（全平台暂停需 2 个），仅暂停这些渠道',
    });
  });

  it('never pauses on a handful of samples, however bad', () => {
    expect(decideRoutingMode('ACTIVE', healthOf(0, 9), { autoResume: true })).toMatchObject({
      mode: 'ACTIVE',
      changed: false,
    });
  });

  it('stays active at exactly the threshold', () => {
    expect(decideRoutingMode('ACTIVE', healthOf(95, 100), { autoResume: true })).toMatchObject({
      mode: 'ACTIVE',
      changed: false,
      reason: '近 15 分钟总体地址解析成功率 95.0%（190/200），正常',
    });
  });

  it('does not resume between the threshold and the resume threshold (hysteresis)', () => {
    expect(decideRoutingMode('PAUSED', healthOf(96, 100), { autoResume: true })).toMatchObject({
      mode: 'PAUSED',
      changed: false,
    });
  });

  it('resumes at the resume threshold, by default threshold + 2 points', () => {
    expect(decideRoutingMode('PAUSED', healthOf(97, 100), { autoResume: true })).toEqual({
      mode: 'ACTIVE',
      changed: true,
      reason: '近 15 分钟总体地址解析成功率 97.0%（194/200），达到恢复阈值 97.0%，全平台自动恢复分配',
    });
    expect(
      decideRoutingMode('PAUSED', healthOf(97, 100), { autoResume: true, resumeThreshold: 0.99 }).mode,
    ).toBe('PAUSED');
  });

  it('resumes the platform when only one channel is still low: that channel stays paused on its own', () => {
    let s = createParseHealthState();
    s = record(s, minutes(0), 0, 100, 'WEBSHOP');
    s = record(s, minutes(0), 30, 0, 'TAOBAO');
    s = record(s, minutes(0), 30, 0, 'JD');
    const decision = decideRoutingMode('PAUSED', parseHealth(s, minutes(1)), { autoResume: true });
    expect(decision).toMatchObject({ mode: 'ACTIVE', changed: true });
    expect(decision.reason).toContain('仅 1 个渠道未达到恢复阈值 97.0%');
  });

  it('never resumes on a handful of samples, and without autoResume waits for an operator', () => {
    expect(decideRoutingMode('PAUSED', healthOf(9, 9), { autoResume: true })).toMatchObject({
      mode: 'PAUSED',
      reason: '近 15 分钟总体地址解析成功率 100.0%（18/18），样本不足 20，保持暂停',
    });
    expect(decideRoutingMode('PAUSED', healthOf(100, 100), { autoResume: false })).toMatchObject({
      mode: 'PAUSED',
      reason: '近 15 分钟总体地址解析成功率 100.0%（200/200），已暂停，需人工恢复',
    });
  });

  it('does not flap when the rate wobbles around the threshold', () => {
    let mode: RoutingMode = 'ACTIVE';
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

describe('decideChannelMode', () => {
  const rate = (ok: number, total: number) => ({ ok, total, rate: total === 0 ? null : ok / total });

  it('pauses a channel below the threshold with enough samples, and says the others go on', () => {
    expect(decideChannelMode('JD', 'ACTIVE', rate(90, 100), POLICY, { autoResume: true })).toEqual({
      mode: 'PAUSED',
      changed: true,
      reason:
        '渠道 京东(JD) 近 15 分钟地址解析成功率 90.0%（90/100），低于 95.0%，暂停该渠道自动分配（其他渠道照常）',
    });
    expect(decideChannelMode('JD', 'ACTIVE', rate(0, 19), POLICY, { autoResume: true }).mode).toBe('ACTIVE');
    expect(decideChannelMode('JD', 'ACTIVE', rate(95, 100), POLICY, { autoResume: true }).mode).toBe(
      'ACTIVE',
    );
  });

  it('resumes at the resume threshold with enough samples, only when allowed', () => {
    const resume = (ok: number, total: number, autoResume = true) =>
      decideChannelMode('DOUYIN', 'PAUSED', rate(ok, total), POLICY, { autoResume });
    expect(resume(96, 100)).toMatchObject({ mode: 'PAUSED', changed: false });
    expect(resume(19, 19)).toMatchObject({ mode: 'PAUSED', changed: false });
    expect(resume(100, 100, false)).toMatchObject({
      mode: 'PAUSED',
      reason: expect.stringContaining('需人工恢复'),
    });
    expect(resume(97, 100)).toEqual({
      mode: 'ACTIVE',
      changed: true,
      reason:
        '渠道 抖音(DOUYIN) 近 15 分钟地址解析成功率 97.0%（97/100），达到恢复阈值 97.0%，该渠道自动恢复分配',
    });
  });
});

describe('decideRoutingModes', () => {
  it('pauses the flooding channel only; a valid order of another channel is still routed', () => {
    let s = createParseHealthState();
    s = record(s, minutes(0), 0, 500, 'WEBSHOP');
    s = record(s, minutes(0), 40, 0, 'TAOBAO');
    const decision = decideRoutingModes(s, minutes(1), allActive, { autoResume: true });
    expect(decision.platform).toMatchObject({ mode: 'ACTIVE', changed: false });
    expect(decision.channels.WEBSHOP).toMatchObject({ mode: 'PAUSED', changed: true });
    expect(decision.channels.TAOBAO).toMatchObject({ mode: 'ACTIVE', changed: false });
    expect(routesChannel(decision.platform.mode, decision.channels.TAOBAO.mode)).toBe(true);
    expect(routesChannel(decision.platform.mode, decision.channels.WEBSHOP.mode)).toBe(false);
  });

  it('pauses the platform and both channels when parsing breaks across channels', () => {
    let s = createParseHealthState();
    s = record(s, minutes(0), 0, 30, 'TAOBAO');
    s = record(s, minutes(0), 1, 29, 'JD');
    s = record(s, minutes(0), 3, 0, 'DOUYIN');
    const decision = decideRoutingModes(s, minutes(1), allActive, { autoResume: true });
    expect(decision.platform).toMatchObject({ mode: 'PAUSED', changed: true });
    expect(decision.channels.TAOBAO.mode).toBe('PAUSED');
    expect(decision.channels.JD.mode).toBe('PAUSED');
    // Too few samples to judge it alone, but the platform pause holds its orders too.
    expect(decision.channels.DOUYIN.mode).toBe('ACTIVE');
    expect(routesChannel(decision.platform.mode, decision.channels.DOUYIN.mode)).toBe(false);
  });

  it('counts a scope from when it became active, and respects a manual pause', () => {
    let s = createParseHealthState();
    s = record(s, minutes(0), 0, 30, 'WEBSHOP');
    s = record(s, minutes(3), 30, 0, 'WEBSHOP');
    const resumedAt: RoutingModes = {
      ...allActive,
      channels: { WEBSHOP: { mode: 'ACTIVE', autoResume: true, activeSince: minutes(2, 10) } },
    };
    expect(decideRoutingModes(s, minutes(4), resumedAt, { autoResume: true }).channels.WEBSHOP).toMatchObject(
      {
        mode: 'ACTIVE',
        rate: { total: 30, ok: 30 },
      },
    );
    const manual: RoutingModes = {
      ...allActive,
      channels: { WEBSHOP: { mode: 'PAUSED', autoResume: false, activeSince: null } },
    };
    const s2 = record(createParseHealthState(), minutes(3), 30, 0, 'WEBSHOP');
    expect(decideRoutingModes(s2, minutes(4), manual, { autoResume: true }).channels.WEBSHOP.mode).toBe(
      'PAUSED',
    );
    expect(
      decideRoutingModes(
        s2,
        minutes(4),
        { ...manual, channels: { WEBSHOP: { ...manual.channels.WEBSHOP!, autoResume: true } } },
        { autoResume: true },
      ).channels.WEBSHOP.mode,
    ).toBe('ACTIVE');
  });
});

describe('properties', () => {
  const channel = fc.constantFrom(...CHANNELS);
  const sample = fc.record({
    channel,
    ok: fc.boolean(),
    minute: fc.integer({ min: 0, max: 20 }),
    count: fc.integer({ min: 1, max: 40 }),
  });
  const mode = fc.constantFrom<RoutingMode>('ACTIVE', 'PAUSED');
  const scope = fc.record({
    mode,
    autoResume: fc.boolean(),
    activeSince: fc.option(fc.integer({ min: 0, max: 20 }).map((m) => minutes(m, 30))),
  });
  const modes = fc.record({
    platform: scope,
    channels: fc.dictionary(channel, scope),
  }) as fc.Arbitrary<RoutingModes>;
  const build = (samples: { channel: Channel; ok: boolean; minute: number; count: number }[]) => {
    let s = createParseHealthState();
    for (const x of samples)
      s = record(s, minutes(x.minute), x.ok ? x.count : 0, x.ok ? 0 : x.count, x.channel);
    return s;
  };
  const options = fc.record({
    autoResume: fc.boolean(),
    policy: fc.record({
      minSamples: fc.integer({ min: 1, max: 50 }),
      threshold: fc.constantFrom(0.5, 0.9, 0.95),
      platformMinChannels: fc.integer({ min: 1, max: 4 }),
    }),
  });

  it("a channel's samples never change another channel's decision", () => {
    fc.assert(
      fc.property(
        fc.array(sample, { maxLength: 30 }),
        channel,
        fc.array(sample, { maxLength: 30 }),
        modes,
        options,
        (base, other, flood, current, opts) => {
          const before = decideRoutingModes(build(base), minutes(20), current, opts);
          const foreign = flood.map((x) => ({ ...x, channel: other }));
          const after = decideRoutingModes(build([...base, ...foreign]), minutes(20), current, opts);
          for (const c of CHANNELS) if (c !== other) expect(after.channels[c]).toEqual(before.channels[c]);
        },
      ),
    );
  });

  it('one channel alone never pauses another channel, platform-wide or its own', () => {
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 30 }), channel, options, (samples, flooding, opts) => {
        // Every other channel parses all its addresses; `flooding` sends anything.
        const clean = samples.map((x) => (x.channel === flooding ? x : { ...x, ok: true }));
        const decision = decideRoutingModes(build(clean), minutes(20), allActive, {
          ...opts,
          policy: { ...opts.policy, platformMinChannels: Math.max(2, opts.policy.platformMinChannels) },
        });
        for (const c of CHANNELS)
          if (c !== flooding)
            expect(routesChannel(decision.platform.mode, decision.channels[c].mode)).toBe(true);
      }),
    );
  });
});
