import { formatChineseDuration } from '../../domain/order/order-labels.js';
import { CHANNELS } from '../../domain/order/order-types.js';
import { CHANNEL_LABELS } from '../../domain/routing/routing-rule.js';
import { formatShanghai } from '../../domain/sla/business-time.js';
import { ROUTING_PAUSED, type RoutingState } from './flow-health.service.js';
import { percent } from './flow-health-alert.js';
import type { FlowHealthReport } from './flow-health-report.js';
import type { FlowHealthSettings } from './flow-health-settings.js';

/** A channel or an external feed silent for longer than this is worth a look. */
export const QUIET_AFTER_MINUTES = 6 * 60;

/** Event sources fed by outside systems (the others are the platform itself and staff). */
const EXTERNAL_SOURCES = ['PAYMENT', 'WMS', 'TMS', 'CRM'];

/**
 * The current problems, most urgent first, each in words an operator can act on: what is wrong,
 * how big, and what to do. Pure: everything comes from the report.
 */
export function describeProblems(report: FlowHealthReport, settings: FlowHealthSettings): string[] {
  const problems: string[] = [];
  const now = report.checkedAt;
  const { parse } = report;
  const routing = report.routing.platform;
  const held = new Map(report.heldOrders.map((h) => [h.reason, h.count]));
  const heldPaused = held.get(ROUTING_PAUSED) ?? 0;
  const who = (state: RoutingState) =>
    state.changedBy === 'system' ? '系统自动' : `${state.changedBy ?? '未知'}人工`;
  const since = (state: RoutingState) =>
    state.changedAt ? `自 ${formatShanghai(state.changedAt)} 起，` : '';
  const next = (state: RoutingState, fix: string) =>
    state.autoResume && settings.autoResume
      ? `地址解析成功率回到 ${percent(settings.resumeThreshold)} 及以上时自动恢复；修复后也可直接执行「恢复分配」`
      : `${fix}后请执行「恢复分配」(resumeRouting)`;

  if (routing.mode === 'PAUSED') {
    problems.push(
      `全平台自动分配已暂停（${since(routing)}${who(routing)}）：${routing.reason ?? ''}。${heldPaused} 个新订单以 ROUTING_PAUSED 挂起，${next(routing, '修复地址解析')}，恢复后挂起订单自动重新分配。`,
    );
  }
  let heldWhereActive = heldPaused;
  for (const channel of CHANNELS) {
    const state = report.routing.channels[channel];
    const heldHere = report.pausedHeldByChannel[channel] ?? 0;
    if (state.mode !== 'PAUSED') continue;
    heldWhereActive -= heldHere;
    const label = `${CHANNEL_LABELS[channel]}(${channel})`;
    problems.push(
      `渠道 ${label} 自动分配已暂停（${since(state)}${who(state)}）：${state.reason ?? ''}。该渠道 ${heldHere} 个新订单以 ROUTING_PAUSED 挂起，其他渠道照常分配；${next(state, `核对该渠道推送的地址`)}（resumeRouting(channel: ${channel})），恢复后该渠道挂起订单自动重新分配。`,
    );
  }
  if (routing.mode === 'ACTIVE' && heldWhereActive > 0) {
    problems.push(
      `自动分配已恢复，但仍有 ${heldWhereActive} 个订单以 ROUTING_PAUSED 挂起：下一次健康检查会重新分配，也可再次执行「恢复分配」。`,
    );
  }

  const staleAfterMs = Math.max(3 * settings.checkEverySeconds * 1000, 120_000);
  if (!routing.lastCheckedAt)
    problems.push('地址解析健康检查从未运行，解析失败时无法自动暂停分配：请确认 worker 进程在运行。');
  else if (now.getTime() - routing.lastCheckedAt.getTime() > staleAfterMs)
    problems.push(
      `地址解析健康检查已 ${duration(now.getTime() - routing.lastCheckedAt.getTime())} 未运行，解析失败时无法自动暂停分配：请确认 worker 进程在运行。`,
    );

  if (routing.mode === 'ACTIVE') {
    const scopes: string[] = [];
    const describe = (label: string, r: { total: number; ok: number; rate: number | null }) => {
      if (r.rate === null || r.rate >= settings.threshold) return;
      const few = r.total < settings.minSamples ? `，样本不足 ${settings.minSamples}，暂不暂停` : '';
      scopes.push(`${label} ${percent(r.rate)}（${r.ok}/${r.total}${few}）`);
    };
    // A channel paused on its own drags the overall rate down without pausing the others.
    if (CHANNELS.every((c) => report.routing.channels[c].mode === 'ACTIVE')) describe('总体', parse.overall);
    for (const channel of CHANNELS) {
      const rate = parse.byChannel[channel];
      // A paused channel is described above.
      if (rate && report.routing.channels[channel].mode === 'ACTIVE')
        describe(`${CHANNEL_LABELS[channel]}(${channel})`, rate);
    }
    if (scopes.length > 0)
      problems.push(
        `近 ${settings.windowMinutes} 分钟地址解析成功率低于 ${percent(settings.threshold)}：${scopes.join('；')}。请检查城市数据库更新与地址解析。`,
      );
  }

  const c = report.completeness;
  if (c.missingPhone > 0)
    problems.push(`${c.missingPhone} 个未发货订单缺少收件手机号，无法派送与通知：请向渠道补全或联系买家。`);
  if (c.missingAddressDetail > 0)
    problems.push(`${c.missingAddressDetail} 个未发货订单缺少详细地址，无法派送：请向渠道补全或联系买家。`);
  if (c.missingItems > 0)
    problems.push(`${c.missingItems} 个未发货订单没有商品明细，仓库无法拣货：请核对渠道推送的订单数据。`);

  for (const [reason, count] of held) {
    if (reason === ROUTING_PAUSED) continue;
    problems.push(`${count} 个订单因 ${reason} 挂起，需人工处理。`);
  }

  for (const { channel, lastOrderAt } of report.channels) {
    if (!lastOrderAt) continue;
    const silentMs = now.getTime() - lastOrderAt.getTime();
    if (silentMs > QUIET_AFTER_MINUTES * 60_000)
      problems.push(
        `${CHANNEL_LABELS[channel]}(${channel}) 已 ${duration(silentMs)} 没有新订单进入：请检查该渠道接口授权与推送。`,
      );
  }
  for (const { source, lastReceivedAt } of report.eventSources) {
    if (!lastReceivedAt || !EXTERNAL_SOURCES.includes(source)) continue;
    const silentMs = now.getTime() - lastReceivedAt.getTime();
    if (silentMs > QUIET_AFTER_MINUTES * 60_000)
      problems.push(`${source} 已 ${duration(silentMs)} 没有推送事件：请检查与 ${source} 的对接。`);
  }
  for (const w of report.webhooks) {
    if (w.signatureFailures > 0)
      problems.push(
        `${w.name} webhook 有 ${w.signatureFailures} 次签名校验失败：请核对对方与 WEBHOOK_SECRET_${w.name} 的密钥是否一致。`,
      );
    if (w.notConfigured > 0)
      problems.push(
        `${w.name} webhook 未配置密钥，已拒绝 ${w.notConfigured} 次推送：请设置 WEBHOOK_SECRET_${w.name}。`,
      );
    if (w.serverErrors > 0)
      problems.push(`${w.name} webhook 有 ${w.serverErrors} 次处理失败（500）：请查看服务日志。`);
  }

  if (!settings.opsWebhookUrl)
    problems.push(
      '运维企业微信群未配置（OPS_WECOM_WEBHOOK_URL）：暂停/恢复分配的告警只记录在日志和历史中，请配置群机器人地址。',
    );
  if (report.outbox.deadWecom > 0)
    problems.push(
      `${report.outbox.deadWecom} 条企业微信消息投递失败且不再重试（如群机器人被移除或 key 失效）：请检查群机器人配置。`,
    );
  const otherDead = report.outbox.dead - report.outbox.deadWecom;
  if (otherDead > 0)
    problems.push(`${otherDead} 条内部消息投递失败且不再重试：请查看 outbox_message 的 last_error。`);
  return problems;
}

const duration = (ms: number) => formatChineseDuration(Math.floor(ms / 60_000));
