import { alipayAccountBill } from '../../domain/bills/alipay-account-bill.js';
import type { BillFormat, BillFormatId } from '../../domain/bills/bill-format.js';
import { douyinSettlement } from '../../domain/bills/douyin-settlement.js';
import { jdSettlement } from '../../domain/bills/jd-settlement.js';
import { taobaoSettlement } from '../../domain/bills/taobao-settlement.js';
import { type UnionPayColumns, unionPayDailyFile } from '../../domain/bills/unionpay.js';
import { wechatFundBill } from '../../domain/bills/wechat-fund-bill.js';
import { wechatTradeBill } from '../../domain/bills/wechat-trade-bill.js';

/** The bill formats by id, UnionPay read through the configured column mapping. */
export function billFormats(unionPayColumns: UnionPayColumns): (id: BillFormatId) => BillFormat | null {
  const formats: Record<BillFormatId, BillFormat> = {
    WECHAT_TRADE: wechatTradeBill,
    ALIPAY_ACCOUNT: alipayAccountBill,
    UNIONPAY_DAILY: unionPayDailyFile(unionPayColumns),
    DOUYIN_SETTLEMENT: douyinSettlement,
    WECHAT_FUND: wechatFundBill,
    TAOBAO_SETTLEMENT: taobaoSettlement,
    JD_SETTLEMENT: jdSettlement,
  };
  return (id) => (Object.hasOwn(formats, id) ? formats[id] : null);
}
