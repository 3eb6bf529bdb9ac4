import { describe, expect, it } from 'vitest';
import {
  defaultTransitHours,
  estimateDelivery,
  etaText,
  isLateAgainstEta,
} from '../../../api/src/domain/tracking/eta.js';
import {
  DEFAULT_STALL_SETTINGS,
  detectStall,
  nextStallCheckAt,
  smsSendTime,
  stallHours,
} from '../../../api/src/domain/tracking/stall.js';

const at = (iso: string) => new Date(iso);

describe('ETA', () => {
  const route = { carrier: 'zhongtong', originProvince: '33', destinationProvince: '31' };

  it('uses defaults without history: same province 1 day, remote 5, else 3', () => {
    expect(defaultTransitHours({ ...route, destinationProvince: '33' })).toBe(24);
    expect(defaultTransitHours({ ...route, destinationProvince: '65' })).toBe(120);
    expect(defaultTransitHours(route)).toBe(72);
  });

  it('promises the end of the Shanghai day the route lands on', () => {
    // Shipped 2026-11-24 10:00 Shanghai, 72 h → 11-27 10:00 → end of 11-27 Shanghai.
    const eta = estimateDelivery(route, at('2026-11-24T02:00:00Z'), null);
    expect(eta.toISOString()).toBe('2026-11-27T15:59:59.000Z');
    expect(etaText(eta, at('2026-11-24T02:00:00Z'))).toBe('预计11月27日送达');
    expect(etaText(eta, at('2026-11-26T03:00:00Z'))).toBe('预计明天送达');
    expect(etaText(eta, at('2026-11-27T03:00:00Z'))).toBe('预计今天送达');
    expect(etaText(eta, at('2026-11-28T03:00:00Z'))).toBeNull();
  });

  it('learns from delivered history once there are enough parcels', () => {
    const shipped = at('2026-11-24T02:00:00Z');
    expect(estimateDelivery(route, shipped, { deliveredCount: 19, p80Hours: 20 }).toISOString()).toBe(
      '2026-11-27T15:59:59.000Z',
    );
    expect(estimateDelivery(route, shipped, { deliveredCount: 20, p80Hours: 20 }).toISOString()).toBe(
      '2026-11-25T15:59:59.000Z',
    );
  });

  it('counts late against the promise', () => {
    const eta = at('2026-11-27T15:59:59Z');
    expect(isLateAgainstEta(eta, at('2026-11-27T15:00:00Z'), at('2026-12-01T00:00:00Z'))).toBe(false);
    expect(isLateAgainstEta(eta, null, at('2026-11-28T00:00:00Z'))).toBe(true);
    expect(isLateAgainstEta(null, null, at('2026-11-28T00:00:00Z'))).toBe(false);
  });
});

describe('stall detection', () => {
  const parcel = {
    carrier: 'zhongtong',
    originProvince: '33',
    destinationProvince: '31',
    state: 'IN_TRANSIT' as const,
    lastEventAt: at('2026-11-25T00:00:00Z'),
    createdAt: at('2026-11-24T00:00:00Z'),
    stalledSince: null,
  };

  it('is due 24 h after the last event, and stalled from then on', () => {
    expect(nextStallCheckAt(parcel, DEFAULT_STALL_SETTINGS)?.toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(detectStall(parcel, DEFAULT_STALL_SETTINGS, at('2026-11-25T23:59:59Z'))).toMatchObject({
      stalled: false,
    });
    expect(detectStall(parcel, DEFAULT_STALL_SETTINGS, at('2026-11-26T00:00:00Z'))).toEqual({
      stalled: true,
      since: parcel.lastEventAt,
      reason: '物流信息已超过24小时没有更新',
    });
  });

  it('takes route over carrier over default', () => {
    const settings = { defaultHours: 24, overrides: { zhongtong: 36, 'zhongtong:33:31': 48 } };
    expect(stallHours(parcel, settings)).toBe(48);
    expect(stallHours({ ...parcel, destinationProvince: '11' }, settings)).toBe(36);
    expect(stallHours({ ...parcel, carrier: 'yunda' }, settings)).toBe(24);
  });

  it('never checks delivered, returned or already stalled parcels', () => {
    for (const state of ['DELIVERED', 'RETURNING', 'RETURNED', 'REJECTED'] as const)
      expect(nextStallCheckAt({ ...parcel, state }, DEFAULT_STALL_SETTINGS)).toBeNull();
    expect(
      nextStallCheckAt({ ...parcel, stalledSince: at('2026-11-26T00:00:00Z') }, DEFAULT_STALL_SETTINGS),
    ).toBeNull();
  });

  it('says why in plain words', () => {
    const now = at('2026-12-01T00:00:00Z');
    expect(detectStall({ ...parcel, lastEventAt: null }, DEFAULT_STALL_SETTINGS, now)).toMatchObject({
      reason: '发货后超过24小时快递仍未揽收',
      since: parcel.createdAt,
    });
    expect(detectStall({ ...parcel, state: 'PROBLEM' }, DEFAULT_STALL_SETTINGS, now)).toMatchObject({
      reason: '快递反馈包裹异常，正在处理',
    });
    expect(detectStall({ ...parcel, state: 'CUSTOMS' }, DEFAULT_STALL_SETTINGS, now)).toMatchObject({
      reason: '清关已超过24小时没有进展',
    });
  });
});

describe('quiet hours (22:00–08:00 Shanghai)', () => {
  it.each([
    ['2026-11-25T00:00:00Z', '2026-11-25T00:00:00.000Z'], // 08:00 Shanghai: sends
    ['2026-11-25T13:59:59Z', '2026-11-25T13:59:59.000Z'], // 21:59:59: sends
    ['2026-11-25T14:00:00Z', '2026-11-26T00:00:00.000Z'], // 22:00: next 08:00
    ['2026-11-25T15:30:00Z', '2026-11-26T00:00:00.000Z'], // 23:30: next 08:00
    ['2026-11-25T16:30:00Z', '2026-11-26T00:00:00.000Z'], // 00:30 the next day: 08:00 that day
    ['2026-11-25T23:59:00Z', '2026-11-26T00:00:00.000Z'], // 07:59: 08:00
    ['2026-12-31T15:00:00Z', '2027-01-01T00:00:00.000Z'], // 23:00 on New Year's Eve
  ])('decided at %s goes out at %s', (now, expected) => {
    expect(smsSendTime(at(now)).toISOString()).toBe(expected);
  });
});

describe('customer promise', () => {
  it('comes from the SLA deadline of the governing policy before shipping', async () => {
    const { customerPromise } = await import('../../../api/src/domain/tracking/customer-promise.js');
    const now = at('2026-11-25T02:00:00Z'); // 10:00 Shanghai
    expect(
      customerPromise({ state: 'PICKING', slaDeadline: at('2026-11-25T04:30:00Z'), etas: [] }, now),
    ).toBe('仓库拣货中（预计今天 12:30前完成）');
    // A deadline already past is no promise.
    expect(
      customerPromise({ state: 'PICKING', slaDeadline: at('2026-11-25T01:00:00Z'), etas: [] }, now),
    ).toBe('仓库拣货中');
    expect(
      customerPromise(
        {
          state: 'IN_TRANSIT',
          slaDeadline: null,
          etas: [at('2026-11-27T15:59:59Z'), at('2026-11-26T15:59:59Z')],
        },
        now,
      ),
    ).toBe('运输途中（预计11月27日送达）');
    expect(customerPromise({ state: 'DELIVERED', slaDeadline: null, etas: [] }, now)).toBe('已签收');
  });
});
