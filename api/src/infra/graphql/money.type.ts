import { Field, ObjectType } from 'type-graphql';

/** The platform's one currency: every channel settles in renminbi. */
export const CURRENCY = 'CNY';

/**
 * An amount of money as the big commerce APIs give it (Shopify's `MoneyV2`: a decimal string and
 * an ISO 4217 code; Stripe's integer minor units), exact at any size: JSON numbers and GraphQL
 * `Int` stop at 2^53 and 2^31, strings do not.
 */
@ObjectType('Money', { description: 'An exact amount of money with its currency.', simpleResolvers: true })
export class Money {
  @Field(() => String, { description: 'Decimal amount in the major unit, e.g. "128.50" (yuan).' })
  amount!: string;

  @Field(() => String, {
    description: 'Whole number of minor units (fen), as a string so that no client rounds it, e.g. "12850".',
  })
  amountMinor!: string;

  @Field(() => String, { description: 'ISO 4217 currency code, e.g. "CNY".' })
  currencyCode!: string;

  /** From integer minor units (a number within 2^53, or a bigint). */
  static ofMinor(minor: number | bigint, currencyCode = CURRENCY): Money {
    const units = BigInt(minor);
    const sign = units < 0n ? '-' : '';
    const abs = units < 0n ? -units : units;
    const major = abs / 100n;
    const fraction = (abs % 100n).toString().padStart(2, '0');
    return Object.assign(new Money(), {
      amount: `${sign}${major}.${fraction}`,
      amountMinor: units.toString(),
      currencyCode,
    });
  }
}
