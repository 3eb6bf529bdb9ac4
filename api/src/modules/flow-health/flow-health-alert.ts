import { CHANNELS, type Channel } from '../../domain/order/order-types.js';
import type { ParseHealth, ParseRate, RoutingMode } from '../../domain/routing/parse-health.js';
import { CHANNEL_LABELS } from '../../domain/routing/routing-rule.js';
import { formatShanghai } from '../../domain/sla/business-time.js';
import type { FlowHealthTrigger } from './flow-health-event.entity.js';

export interface RoutingChangeFacts {
  /** The channel whose routing changed; null for the whole platform. */
  channel: Channel | null;
  toMode: RoutingMode;
  trigger: FlowHealthTrigger;
  /** `system` or the staff username. */
  actor: string;
  reason: string;
  at: Date;
  health: ParseHealth;
  /** Whether this pause ends on its own once parsing recovers. */
  autoResume: boolean;
  resumeThreshold: number;
}

/**
 * The operations-group alert for a pause or a resume of the whole platform or of one channel, as
 * WeCom markdown: what happened, why, who, when (Shanghai time), the success rate overall and per
 * channel, and what to do. No personal data.
 */
export function routingChangeAlert(facts: RoutingChangeFacts): string {
  const { health } = facts;
  const { threshold, windowMinutes } = health.policy;
  const paused = facts.toMode === 'PAUSED';
  const scope = facts.channel ? `渠道 ${CHANNEL_LABELS[facts.channel]}(${facts.channel}) ` : '全平台';
  const whose = facts.channel ? '该渠道的新订单' : '所有渠道的新订单';
  const lines = [
    paused
      ? `## <font color="warning">${scope}订单自动分配已暂停</font>`
      : `## <font color="info">${scope}订单自动分配已恢复</font>`,
    `> 原因：${facts.reason}`,
    `> 操作：${facts.trigger === 'AUTOMATIC' ? '系统自动' : `${facts.actor}（人工）`}`,
    `> 时间：${formatShanghai(facts.at)}（北京时间）`,
    '',
    `**近 ${windowMinutes} 分钟地址解析成功率**（阈值 ${percent(threshold)}）`,
    `> 总体：${rateText(health.overall, threshold)}`,
    ...CHANNELS.map(
      (channel) =>
        `> ${CHANNEL_LABELS[channel]}(${channel})：${rateText(health.byChannel[channel] ?? null, threshold)}`,
    ),
    '',
    paused
      ? `${whose}以 ROUTING_PAUSED 挂起，暂不自动分配${facts.channel ? '，其他渠道照常分配' : ''}。请检查${
          facts.channel ? '该渠道推送的收货地址' : '城市数据库更新与地址解析'
        }；${
          facts.autoResume
            ? `成功率回到 ${percent(facts.resumeThreshold)} 及以上时自动恢复`
            : '修复后请在中台执行「恢复分配」'
        }，恢复后挂起的订单会自动重新分配。`
      : `${facts.channel ? '该渠道' : ''}以 ROUTING_PAUSED 挂起的订单正在重新分配。`,
  ];
  return lines.join('\n');
}

function rateText(rate: ParseRate | null, threshold: number): string {
  if (!rate || rate.rate === null) return '<font color="comment">无样本</font>';
  const color = rate.rate < threshold ? 'warning' : 'info';
  return `<font color="${color}">${percent(rate.rate)}</font>（${rate.ok}/${rate.total}）`;
}

export const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
