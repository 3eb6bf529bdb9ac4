import type { Channel } from '../../domain/order/order-types.js';
import { formatShanghai } from '../../domain/sla/business-time.js';
import type { FulfilmentState } from '../../domain/sla/fulfilment-rank.js';
import type { SlaAction } from '../../domain/sla/sla-policy.js';

/**
 * Texts of SLA reminders and history rows, in the words of the people who read them. They name
 * the order by its channel number and never carry buyer data; who is reminded is given by mobile
 * in WeCom's mention list, not in the text.
 */

const CHANNEL_LABELS: Readonly<Record<Channel, string>> = {
  TAOBAO: '淘宝',
  JD: '京东',
  DOUYIN: '抖音',
  WEBSHOP: '官网商城',
};

const TARGET_LABELS: Readonly<Record<FulfilmentState, string>> = {
  CREATED: '下单',
  PAID: '付款',
  WAREHOUSE_ACCEPTED: '仓库接单',
  PICKING: '开始拣货',
  PACKED: '完成打包',
  SHIPPED: '发货',
  IN_TRANSIT: '揽收运输',
  OUT_FOR_DELIVERY: '派送',
  DELIVERED: '签收',
};

const ACTION_LABELS: Readonly<Record<SlaAction, string>> = {
  FLAG_ABNORMAL: '标记异常',
  REMIND_OWNER: '提醒负责人',
  OPEN_TICKET: '生成工单',
  ESCALATE_SUPERVISOR: '升级主管',
  NOTIFY_OPS: '通报运营',
};

/** `PICKING@PAID_AT` → 开始拣货. */
export function stageLabel(stage: string): string {
  const target = stage.split('@')[0] as FulfilmentState;
  return TARGET_LABELS[target] ?? target;
}

export interface LateOrder {
  channel: Channel;
  channelOrderNo: string;
  stage: string;
  deadline: Date;
  level: number;
  overdueMinutes: number;
}

const lateLine = (order: LateOrder) =>
  `${CHANNEL_LABELS[order.channel] ?? order.channel}订单 ${order.channelOrderNo} 应在 ${formatShanghai(order.deadline)} 前${stageLabel(order.stage)}，已超时 ${order.overdueMinutes} 分钟`;

/** The owner's reminder (level 1). */
export const ownerReminderText = (order: LateOrder) =>
  `【订单超时提醒】${lateLine(order)}。已标记异常并生成工单，请负责人尽快处理。`;

/** The supervisor's escalation (level 2 and beyond). */
export const supervisorEscalationText = (order: LateOrder) =>
  `【订单超时升级】${lateLine(order)}，第 ${order.level} 级升级，请主管跟进处理。`;

/** The operations team's notice. */
export const opsNoticeText = (order: LateOrder) =>
  `【订单超时通报】${lateLine(order)}（第 ${order.level} 级）。`;

/** History reason of an applied level, e.g. "开始拣货超时（时限 2026-11-25 14:00）：第 1 级，标记异常、提醒负责人、生成工单". */
export function levelReason(
  order: LateOrder,
  actions: readonly SlaAction[],
  notes: readonly string[],
): string {
  const done = actions.map((a) => ACTION_LABELS[a]).join('、');
  const extra = notes.length > 0 ? `；${notes.join('；')}` : '';
  return `${stageLabel(order.stage)}超时（时限 ${formatShanghai(order.deadline)}）：第 ${order.level} 级，${done}${extra}`;
}

export const recoveredReason = (stage: string, clearedAbnormal: boolean) =>
  `已离开超时环节「${stageLabel(stage)}」${clearedAbnormal ? '，解除异常标记' : ''}`;

export const AUTO_RESOLUTION = '订单已进入下一环节，系统自动关闭';

export const NO_ROBOT_NOTE = '处理组未配置企业微信机器人，未发送提醒';
export const NO_OPS_ROBOT_NOTE = '未配置运营群机器人，未发送通报';

/** History reason of a stage whose deadline had passed before the order arrived. */
export const lateOnArrivalReason = (stage: string, deadline: Date, withheld: boolean) =>
  `${stageLabel(stage)}时限 ${formatShanghai(deadline)} 早于订单进入系统，记为超时${withheld ? '；历史补录，不提醒、不生成工单' : ''}`;

/** History reason of a delivery after the promised time. */
export const deliveredLateReason = (deadline: Date, deliveredAt: Date, withheld: boolean) =>
  `晚于承诺送达时间签收（承诺 ${formatShanghai(deadline)}，签收 ${formatShanghai(deliveredAt)}）${withheld ? '；历史补录，仅记录' : '，标记异常'}`;
