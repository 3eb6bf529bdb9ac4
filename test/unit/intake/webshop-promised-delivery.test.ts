import { describe, expect, it } from 'vitest';
import { parseWebshopOrder } from '../../../api/src/domain/intake/webshop-order.js';
import { defectsOf, loadFixture, parsedValue } from './intake-test-support.js';

/** The web shop's promised delivery time: the one channel payload that carries one. */
describe('web shop promisedDeliveryAt', () => {
  it('reads the promise as an instant, the offset honoured across midnight', () => {
    const order = { ...loadFixture('webshop-custom.json'), promisedDeliveryAt: '2026-11-25T00:30:00+08:00' };
    expect(parsedValue(parseWebshopOrder(order)).promisedDeliveryAt).toEqual(
      new Date('2026-11-24T16:30:00Z'),
    );
  });

  it('is null when absent or null', () => {
    expect(parsedValue(parseWebshopOrder(loadFixture('webshop-custom.json'))).promisedDeliveryAt).toBeNull();
    const order = { ...loadFixture('webshop-custom.json'), promisedDeliveryAt: null };
    expect(parsedValue(parseWebshopOrder(order)).promisedDeliveryAt).toBeNull();
  });

  it('refuses a local time without an offset, naming the field', () => {
    const order = { ...loadFixture('webshop-custom.json'), promisedDeliveryAt: '2026-11-25 00:30:00' };
    expect(defectsOf(parseWebshopOrder(order))).toEqual([expect.stringMatching(/^promisedDeliveryAt /)]);
  });
});
