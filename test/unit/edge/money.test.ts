import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { Money } from '../../../api/src/infra/graphql/money.type.js';

describe('Money', () => {
  it('gives minor units as an exact integer string and the decimal amount, with the currency', () => {
    expect({ ...Money.ofMinor(12850) }).toEqual({
      amount: '128.50',
      amountMinor: '12850',
      currencyCode: 'CNY',
    });
    expect({ ...Money.ofMinor(5) }).toMatchObject({ amount: '0.05', amountMinor: '5' });
    expect({ ...Money.ofMinor(-199) }).toMatchObject({ amount: '-1.99', amountMinor: '-199' });
  });

  it('stays exact beyond 2^31 and 2^53, where Int and JSON numbers do not', () => {
    expect(Money.ofMinor(2 ** 31).amountMinor).toBe('2147483648');
    expect(Money.ofMinor(9_223_372_036_854_775_807n)).toMatchObject({
      amount: '92233720368547758.07',
      amountMinor: '9223372036854775807',
    });
  });
});
