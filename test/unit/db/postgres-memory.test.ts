import { describe, expect, it } from 'vitest';
import {
  memoryToTuneFor,
  postgresMemorySettings,
  settingsFlags,
} from '../../../api/src/infra/db/postgres-memory.js';

const GB = 1024 ** 3;

describe('PostgreSQL memory settings from the machine', () => {
  it('a 24 GB machine: 6 GB of buffers, 18 GB of cache, 46 MB per sort', () => {
    expect(postgresMemorySettings(24 * GB)).toEqual({
      shared_buffers: '6144MB',
      effective_cache_size: '18432MB',
      work_mem: '46MB',
      maintenance_work_mem: '1228MB',
    });
  });

  it('a small machine keeps the floors; a large one the ceilings', () => {
    expect(postgresMemorySettings(512 * 1024 ** 2)).toEqual({
      shared_buffers: '128MB',
      effective_cache_size: '384MB',
      work_mem: '4MB',
      maintenance_work_mem: '64MB',
    });
    const big = postgresMemorySettings(256 * GB);
    expect(big.shared_buffers).toBe('8192MB');
    expect(big.work_mem).toBe('64MB');
    expect(big.maintenance_work_mem).toBe('2048MB');
  });

  it('as command-line flags', () => {
    expect(settingsFlags(postgresMemorySettings(4 * GB)).slice(0, 2)).toEqual([
      '-c',
      'shared_buffers=1024MB',
    ]);
  });

  it('EMBEDDED_PG_MEMORY_MB overrides the machine (tests), anything else is ignored', () => {
    expect(memoryToTuneFor({ EMBEDDED_PG_MEMORY_MB: '512' }, 24 * GB)).toBe(512 * 1024 ** 2);
    expect(memoryToTuneFor({ EMBEDDED_PG_MEMORY_MB: 'lots' }, 24 * GB)).toBe(24 * GB);
    expect(memoryToTuneFor({}, 24 * GB)).toBe(24 * GB);
  });
});
