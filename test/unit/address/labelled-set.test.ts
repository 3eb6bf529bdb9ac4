import { describe, expect, it } from 'vitest';
import { ADDRESS_FORMATS, buildLabelledSet } from '../../../bench/address/labelled-set.js';
import { scoreLabelledSet } from '../../../bench/address/score.js';
import { bundledIndex } from './address-test-kit.js';

describe('the labelled set', () => {
  const index = bundledIndex();
  const set = buildLabelledSet(index, { size: 1_000, seed: 20_240_601 });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(buildLabelledSet(index, { size: 1_000, seed: 20_240_601 })).toEqual(set);
    expect(buildLabelledSet(index, { size: 50, seed: 7 })).not.toEqual(set.slice(0, 50));
  });

  it('covers every format, municipalities, autonomous areas and cities without districts', () => {
    expect(set).toHaveLength(1_000);
    expect(new Set(set.map((a) => a.format))).toEqual(new Set(ADDRESS_FORMATS));
    const provinces = new Set(set.map((a) => a.expected.province));
    for (const code of [
      '110000',
      '310000',
      '120000',
      '500000',
      '150000',
      '450000',
      '540000',
      '640000',
      '650000',
    ]) {
      expect(provinces).toContain(code);
    }
    expect(set.some((a) => a.expected.district === null)).toBe(true);
  });

  it('parses to the expected codes for at least 98 % of addresses at district level', () => {
    const score = scoreLabelledSet(index, set);
    expect(score.misses.slice(0, 10)).toEqual(score.district >= 0.98 ? score.misses.slice(0, 10) : []);
    expect(score.province).toBeGreaterThanOrEqual(0.99);
    expect(score.city).toBeGreaterThanOrEqual(0.99);
    expect(score.district).toBeGreaterThanOrEqual(0.98);
  });
});
