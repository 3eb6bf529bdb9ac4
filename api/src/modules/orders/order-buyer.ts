import type { StaffRole, Viewer } from '../../domain/auth/viewer.js';
import type { ChannelAddress } from '../../domain/intake/normalized-order.js';
import { maskAddress, maskName, maskPhone } from '../../domain/privacy/mask.js';

/** Staff roles that work with buyers directly and see their name, phone and address in clear. */
export const CLEAR_BUYER_ROLES: readonly StaffRole[] = ['OPS', 'SERVICE', 'SUPERVISOR', 'ADMIN'];

export interface BuyerView {
  name: string;
  phone: string;
  address: string;
}

/** Pure: may this caller see buyers' personal data in clear? Partner keys never do. */
export function seesBuyerInClear(viewer: Viewer): boolean {
  return viewer.kind === 'STAFF' && viewer.roles.some((role) => CLEAR_BUYER_ROLES.includes(role));
}

/** Pure: the buyer as this caller may see it, in clear or masked. */
export function buyerFor(
  viewer: Viewer,
  order: { buyerName: string; buyerPhone: string; address: ChannelAddress },
): BuyerView {
  if (seesBuyerInClear(viewer)) {
    return { name: order.buyerName, phone: order.buyerPhone, address: addressLine(order.address) };
  }
  return {
    name: maskName(order.buyerName),
    phone: maskPhone(order.buyerPhone),
    address: maskAddress(order.address),
  };
}

/**
 * The same as `buyerFor`, with the address line built only when it is read: a list page asks for
 * the buyer's name and phone far more often than for the address.
 */
export function lazyBuyerFor(
  viewer: Viewer,
  order: { buyerName: string; buyerPhone: string; address: ChannelAddress },
): BuyerView {
  const clear = seesBuyerInClear(viewer);
  return {
    name: clear ? order.buyerName : maskName(order.buyerName),
    phone: clear ? order.buyerPhone : maskPhone(order.buyerPhone),
    get address() {
      return clear ? addressLine(order.address) : maskAddress(order.address);
    },
  };
}

/** `浙江省 杭州市 西湖区 测试街道 示例路88号`; a city repeating its province is shown once. */
export function addressLine(address: ChannelAddress): string {
  const parts: string[] = [];
  for (const part of [address.province, address.city, address.district, address.street, address.detail]) {
    const text = part?.trim();
    if (text && text !== parts[parts.length - 1]) parts.push(text);
  }
  return parts.join(' ');
}
