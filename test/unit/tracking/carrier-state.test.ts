import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideEvent } from '../../../api/src/domain/order/order-event-rules.js';
import {
  KUAIDI100_STATES,
  kuaidi100CodeOfName,
  mapKuaidi100State,
} from '../../../api/src/domain/tracking/carrier-state.js';
import {
  kuaidi100Sign,
  parseKuaidi100Push,
  verifyKuaidi100Sign,
} from '../../../api/src/domain/tracking/kuaidi100-push.js';
import { foldProgress, traceOfPush } from '../../../api/src/domain/tracking/trace.js';

const EVERY_CODE = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14];

/** Replays an order in `state` through the events of one code; returns where it ends. */
function orderAfter(state: Parameters<typeof decideEvent>[0]['state'], code: number) {
  let current = state;
  for (const [i, type] of mapKuaidi100State(code).orderEvents.entries()) {
    const d = decideEvent({ state: current }, { type, idempotencyKey: `k${i}`, occurredAt: new Date(0) });
    if (d.outcome === 'APPLIED') current = d.to;
  }
  return current;
}

describe('Kuaidi100 state codes', () => {
  it('maps every documented code, with its name', () => {
    expect(
      Object.keys(KUAIDI100_STATES)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(EVERY_CODE);
    expect(EVERY_CODE.map((c) => [c, KUAIDI100_STATES[c].name, KUAIDI100_STATES[c].shipment])).toEqual([
      [0, '在途', 'IN_TRANSIT'],
      [1, '揽收', 'PICKED_UP'],
      [2, '疑难', 'PROBLEM'],
      [3, '签收', 'DELIVERED'],
      [4, '退签', 'RETURNED'],
      [5, '派件', 'OUT_FOR_DELIVERY'],
      [6, '退回', 'RETURNING'],
      [7, '转投', 'IN_TRANSIT'],
      [8, '清关', 'CUSTOMS'],
      [10, '待清关', 'CUSTOMS'],
      [11, '清关中', 'CUSTOMS'],
      [12, '已清关', 'CUSTOMS'],
      [13, '清关异常', 'PROBLEM'],
      [14, '拒签', 'REJECTED'],
    ]);
    for (const code of EVERY_CODE) expect(kuaidi100CodeOfName(KUAIDI100_STATES[code].name)).toBe(code);
  });

  it.each(EVERY_CODE)('code %i moves a shipped order where the lifecycle allows', (code) => {
    const expected: Record<number, string> = {
      0: 'IN_TRANSIT',
      1: 'IN_TRANSIT',
      2: 'SHIPPED',
      3: 'DELIVERED',
      4: 'RETURNED',
      5: 'OUT_FOR_DELIVERY',
      6: 'RETURNING',
      7: 'IN_TRANSIT',
      8: 'IN_TRANSIT',
      10: 'IN_TRANSIT',
      11: 'IN_TRANSIT',
      12: 'IN_TRANSIT',
      13: 'SHIPPED',
      14: 'RETURNING',
    };
    expect(orderAfter('SHIPPED', code)).toBe(expected[code]);
  });

  it('never leaves a refused or returned parcel "shipped", from any moving state', () => {
    for (const state of ['SHIPPED', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERY_FAILED'] as const)
      for (const code of [4, 6, 14]) expect(['RETURNING', 'RETURNED']).toContain(orderAfter(state, code));
  });

  it('reads an unknown future code as in transit, promising nothing', () => {
    expect(mapKuaidi100State(99)).toMatchObject({ shipment: 'IN_TRANSIT', orderEvents: [] });
  });
});

const push = (state: number, data: Array<Record<string, unknown>>) =>
  JSON.stringify({
    status: 'polling',
    message: '',
    lastResult: {
      com: 'zhongtong',
      nu: 'ZT123456',
      state: String(state),
      ischeck: state === 3 ? '1' : '0',
      data,
    },
  });

describe('Kuaidi100 push parsing and sign', () => {
  it('verifies MD5(param + salt) in upper-case hex and refuses anything else', () => {
    const param = push(0, []);
    const sign = kuaidi100Sign(param, 'salt-1234');
    expect(sign).toMatch(/^[0-9A-F]{32}$/);
    expect(verifyKuaidi100Sign(param, sign, 'salt-1234')).toBe(true);
    expect(verifyKuaidi100Sign(param, sign.toLowerCase(), 'salt-1234')).toBe(true);
    expect(verifyKuaidi100Sign(param, sign, 'salt-9999')).toBe(false);
    expect(verifyKuaidi100Sign(`${param} `, sign, 'salt-1234')).toBe(false);
    expect(verifyKuaidi100Sign(param, 'short', 'salt-1234')).toBe(false);
  });

  it('names every defect by field', () => {
    const bad = parseKuaidi100Push(
      JSON.stringify({ lastResult: { com: '', state: 'x', data: [{ time: 'yesterday' }] } }),
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.errors.map((e) => `${e.field}:${e.code}`)).toEqual([
        'lastResult.com:REQUIRED',
        'lastResult.nu:REQUIRED',
        'lastResult.state:INVALID_STATE',
        'lastResult.data[0].time:INVALID_TIME',
      ]);
    expect(parseKuaidi100Push('{')).toMatchObject({ ok: false, errors: [{ code: 'INVALID_JSON' }] });
    expect(parseKuaidi100Push('x'.repeat(1_000_001))).toMatchObject({
      ok: false,
      errors: [{ code: 'TOO_LARGE' }],
    });
  });

  it('gives each scan a stable key and its own state, the newest the push state when it has no words', () => {
    const parsed = parseKuaidi100Push(
      push(5, [
        { time: '2026-11-26 09:10:00', context: '快递员正在派件', areaName: '杭州市' },
        { time: '2026-11-25 20:00:00', context: '到达杭州转运中心', status: '在途' },
        { time: '2026-11-25 10:00:00', context: '已揽收' },
      ]),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const trace = traceOfPush(parsed.value);
    expect(trace.map((t) => t.state)).toEqual(['OUT_FOR_DELIVERY', 'IN_TRANSIT', null]);
    expect(trace[0].occurredAt.toISOString()).toBe('2026-11-26T01:10:00.000Z');
    expect(trace[0].location).toBe('杭州市');
    expect(traceOfPush(parsed.value).map((t) => t.entryKey)).toEqual(trace.map((t) => t.entryKey));
    expect(new Set(trace.map((t) => t.entryKey)).size).toBe(3);
  });
});

describe('foldProgress', () => {
  const entry = (hour: number, state: 'IN_TRANSIT' | 'DELIVERED' | null) => ({
    entryKey: `k${hour}`,
    occurredAt: new Date(Date.UTC(2026, 10, 25, hour)),
    description: '',
    location: null,
    carrierCode: null,
    state,
    orderEvents: [],
  });
  const start = { state: 'AWAITING_PICKUP' as const, lastEventAt: null, stateAt: null };

  it('ends in the state of the latest scan by time, whatever order the scans arrive in (property)', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(
          [entry(1, 'IN_TRANSIT'), entry(5, 'DELIVERED'), entry(3, null), entry(2, 'IN_TRANSIT')],
          { minLength: 4 },
        ),
        fc.integer({ min: 1, max: 3 }),
        (entries, cut) => {
          const once = foldProgress(start, entries);
          const twice = foldProgress(foldProgress(start, entries.slice(0, cut)), entries.slice(cut));
          expect(once).toEqual(twice);
          expect(once.state).toBe('DELIVERED');
          expect(once.lastEventAt?.getUTCHours()).toBe(5);
        },
      ),
    );
  });

  it('keeps the newer state when an older push arrives later', () => {
    const now = foldProgress(start, [entry(5, 'DELIVERED')]);
    expect(foldProgress(now, [entry(1, 'IN_TRANSIT')]).state).toBe('DELIVERED');
  });
});
