import { describe, expect, it } from 'vitest';
import {
  businessDate,
  businessDayRange,
  formatShanghai,
  isBusinessDate,
  shanghaiIsoTime,
  shanghaiLocalTime,
  startOfBusinessDay,
} from '../../../api/src/domain/sla/business-time.js';

const utc = (text: string) => new Date(text);

describe('business time (Asia/Shanghai)', () => {
  it('starts the business day at 00:00 Shanghai, 16:00 UTC the day before', () => {
    expect(startOfBusinessDay(utc('2025-11-11T15:30:00Z'))).toEqual(utc('2025-11-10T16:00:00Z'));
    expect(startOfBusinessDay(utc('2025-11-11T16:00:00Z'))).toEqual(utc('2025-11-11T16:00:00Z'));
    expect(startOfBusinessDay(utc('2025-11-11T16:30:00Z'))).toEqual(utc('2025-11-11T16:00:00Z'));
    expect(startOfBusinessDay(utc('1969-12-31T20:00:00Z'))).toEqual(utc('1969-12-31T16:00:00Z'));
  });

  it('gives a business day as [from, to) instants', () => {
    expect(businessDayRange('2025-11-11')).toEqual({
      from: utc('2025-11-10T16:00:00Z'),
      to: utc('2025-11-11T16:00:00Z'),
    });
    expect(businessDayRange('2024-12-31').to).toEqual(utc('2024-12-31T16:00:00Z'));
  });

  it('rejects text that is not a calendar date', () => {
    expect(isBusinessDate('2024-02-29')).toBe(true);
    for (const bad of ['2025-02-29', '2025-13-01', '2025-1-01', '20251111', '']) {
      expect(isBusinessDate(bad)).toBe(false);
      expect(() => businessDayRange(bad)).toThrow(RangeError);
    }
  });

  it('formats instants as Shanghai wall-clock time', () => {
    expect(formatShanghai(utc('2025-11-11T15:30:00Z'))).toBe('2025-11-11 23:30');
    expect(formatShanghai(utc('2025-11-11T17:30:00Z'))).toBe('2025-11-12 01:30');
    expect(shanghaiLocalTime(utc('2025-11-11T17:30:05Z'))).toBe('2025-11-12 01:30:05');
    expect(shanghaiIsoTime(utc('2025-11-11T17:30:05Z'))).toBe('2025-11-12T01:30:05+08:00');
    expect(businessDate(utc('2025-11-11T17:30:00Z'))).toBe('2025-11-12');
  });
});
