import { describe, expect, it } from 'vitest';
import { allotSms } from '../../../api/src/domain/sms/sms-allotment.js';

const ask = (dedupeKey: string, phoneDigest: string, perPhonePerDay = 2) => ({
  dedupeKey,
  phoneDigest,
  perPhonePerDay,
});

describe('allotSms (which SMS of a batch go out)', () => {
  it('queues in the order asked until a phone reaches its daily limit, counting what went today', () => {
    const asks = [ask('a', 'P1'), ask('b', 'P1'), ask('c', 'P1'), ask('d', 'P2'), ask('e', 'P2')];
    expect(allotSms(asks, new Map([['P2', 1]]), new Set())).toEqual([
      'QUEUE',
      'QUEUE',
      'PHONE_LIMIT',
      'QUEUE',
      'PHONE_LIMIT',
    ]);
  });

  it('refuses a key recorded before or asked earlier in the batch, without counting it', () => {
    const asks = [ask('a', 'P1'), ask('x', 'P1'), ask('x', 'P1'), ask('b', 'P1')];
    expect(allotSms(asks, new Map(), new Set(['a']))).toEqual(['DUPLICATE', 'QUEUE', 'DUPLICATE', 'QUEUE']);
  });

  it('a limit of zero sends nothing', () => {
    expect(allotSms([ask('a', 'P1', 0)], new Map(), new Set())).toEqual(['PHONE_LIMIT']);
  });
});
