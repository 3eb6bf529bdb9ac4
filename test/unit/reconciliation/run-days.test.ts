import { describe, expect, it } from 'vitest';
import type { MatchingSettings } from '../../../api/src/domain/reconciliation/reconciliation-types.js';
import { scheduledRange } from '../../../api/src/domain/reconciliation/run-days.js';

const SETTINGS: MatchingSettings = {
  fees: {},
  settlementDays: { WEBSHOP: 1, TAOBAO: 3 },
  defaultSettlementDays: 2,
};
const at = (local: string) => new Date(`${local}+08:00`);

describe('the days the daily run reconciles', () => {
  it('runs yesterday and the days still inside the longest settlement window', () => {
    expect(scheduledRange(at('2026-11-21T02:00:00'), '2026-11-19', SETTINGS, 7)).toEqual({
      fromDate: '2026-11-17',
      toDate: '2026-11-20',
    });
  });

  it('goes by the Shanghai day, not the server’s: 00:30 Shanghai is still the evening before in UTC', () => {
    expect(scheduledRange(at('2026-11-21T00:30:00'), null, SETTINGS, 7).toDate).toBe('2026-11-20');
  });

  it('catches up the days a stopped worker missed, at most catchUpDays back', () => {
    expect(scheduledRange(at('2026-11-30T02:00:00'), '2026-11-20', SETTINGS, 7)).toEqual({
      fromDate: '2026-11-22',
      toDate: '2026-11-29',
    });
    expect(scheduledRange(at('2026-11-30T02:00:00'), '2026-11-24', SETTINGS, 7)).toEqual({
      fromDate: '2026-11-25',
      toDate: '2026-11-29',
    });
    expect(scheduledRange(at('2026-11-30T02:00:00'), '2026-11-24', SETTINGS, 2)).toEqual({
      fromDate: '2026-11-26',
      toDate: '2026-11-29',
    });
  });
});
