import type { Channel } from '../order/order-types.js';
import { parseDouyinOrder } from './douyin-order.js';
import type { Parsed } from './field-reader.js';
import { parseJdOrder } from './jd-order.js';
import type { NormalizedOrder } from './normalized-order.js';
import { fieldError } from './parse-helpers.js';
import { parseTaobaoOrder } from './taobao-order.js';
import { parseWebshopOrder } from './webshop-order.js';

/**
 * Parses one channel's raw order payload (already JSON-decoded) at the edge; a sound one comes
 * with a warning per field the channel's format does not have (`UNKNOWN_FIELD`).
 */
export type ChannelOrderParser = (raw: unknown) => Parsed<NormalizedOrder>;

export const CHANNEL_ADAPTERS: Readonly<Record<Channel, ChannelOrderParser>> = {
  TAOBAO: parseTaobaoOrder,
  JD: parseJdOrder,
  DOUYIN: parseDouyinOrder,
  WEBSHOP: parseWebshopOrder,
};

/**
 * Every defect of the payload comes back at once, each named by the channel's own field path.
 * A channel outside `CHANNELS` (possible from untyped callers) is itself a defect, not a crash.
 */
export function parseChannelOrder(channel: Channel, raw: unknown): Parsed<NormalizedOrder> {
  const parse = Object.hasOwn(CHANNEL_ADAPTERS, channel) ? CHANNEL_ADAPTERS[channel] : undefined;
  if (!parse) {
    const error = fieldError('channel', 'UNKNOWN_VALUE', 'channel must be TAOBAO, JD, DOUYIN or WEBSHOP.');
    return { ok: false, errors: [error] };
  }
  return parse(raw);
}
