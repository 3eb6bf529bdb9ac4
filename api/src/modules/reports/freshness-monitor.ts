import type pg from 'pg';
import { formatShanghai, SHANGHAI_OFFSET_MS } from '../../domain/sla/business-time.js';
import type { FreshnessStat } from '../../domain/sla/sla-report.js';
import { markdownMessage } from '../../domain/wecom/wecom-message.js';
import { inTransaction } from '../../infra/db/transaction.js';
import type { Logger } from '../../infra/logging/logger.js';
import { enqueueOutbox } from '../../infra/outbox/outbox.js';
import { wecomOutboxEntry } from '../wecom/wecom-outbox.js';
import {
  type FreshnessVerdict,
  freshnessFigures,
  freshnessProblem,
  freshnessSubject,
  freshnessVerdict,
  loadFreshness,
} from './freshness.js';
import type { FreshnessAlertState } from './freshness-alert.entity.js';

/** A source is judged on the reports of this many minutes before the check. */
export const FRESHNESS_WINDOW_MINUTES = 60;

export interface FreshnessSettings {
  windowMinutes: number;
  /** Fewer reports than this in the window decide nothing. */
  minSamples: number;
  /** The operations group robot; null when not configured. */
  opsWebhookUrl: string | null;
}

export interface SourceFreshness {
  stat: FreshnessStat;
  verdict: FreshnessVerdict;
}

export interface FreshnessChange {
  /** `freshness_alert.id` */
  id: string;
  stage: string;
  source: string;
  state: FreshnessAlertState;
  /** Whether this change queued a new message for the operations group. */
  alerted: boolean;
}

/** Serialises checks across workers, for the length of one check's transaction. */
const CHECK_LOCK = "hashtext('report.freshness-check')";

/**
 * Watches how late the status sources report against the customer's targets: lists the ones
 * behind for the flow-health board, and on each check records and alerts the sources that newly
 * fell behind or recovered. One message per source, state and hour at most, so a flapping source
 * cannot flood the group.
 */
export class FreshnessMonitor {
  constructor(private readonly deps: { pool: pg.Pool; settings: FreshnessSettings; logger: Logger }) {}

  get settings(): FreshnessSettings {
    return this.deps.settings;
  }

  /** Every targeted stage and source over the window ending at `now`, with its verdict. */
  async current(now: Date, db: pg.Pool | pg.PoolClient = this.deps.pool): Promise<SourceFreshness[]> {
    const { windowMinutes, minSamples } = this.deps.settings;
    const stats = await loadFreshness(db, {
      from: new Date(now.getTime() - windowMinutes * 60_000),
      to: now,
    });
    return stats
      .filter((stat) => stat.targetSeconds !== null)
      .map((stat) => ({ stat, verdict: freshnessVerdict(stat, minSamples) }));
  }

  /** The flow-health problem lines: one per stage and source behind its target now. */
  async problems(now: Date): Promise<string[]> {
    const current = await this.current(now);
    return current
      .filter((s) => s.verdict === 'BEHIND')
      .map((s) => freshnessProblem(s.stat, this.deps.settings.windowMinutes));
  }

  /** One run of the `report.freshness-check` job. */
  async check(now: Date): Promise<FreshnessChange[]> {
    const { pool, logger } = this.deps;
    const changes = await inTransaction(pool, async (client) => {
      await client.query(`select pg_advisory_xact_lock(${CHECK_LOCK})`);
      const previous = await latestStates(client);
      const found: FreshnessChange[] = [];
      for (const { stat, verdict } of await this.current(now, client)) {
        const was = previous.get(keyOf(stat)) ?? 'RECOVERED';
        const state: FreshnessAlertState | null =
          verdict === 'BEHIND' && was !== 'BEHIND'
            ? 'BEHIND'
            : verdict === 'OK' && was === 'BEHIND'
              ? 'RECOVERED'
              : null;
        if (state) found.push(await this.record(client, stat, state, now));
      }
      return found;
    });
    for (const change of changes)
      logger.warn(
        {
          changeId: change.id,
          stage: change.stage,
          source: change.source,
          state: change.state,
          alerted: change.alerted,
        },
        change.state === 'BEHIND'
          ? 'status source fell behind its freshness target'
          : 'status source recovered',
      );
    return changes;
  }

  private async record(
    tx: pg.PoolClient,
    stat: FreshnessStat,
    state: FreshnessAlertState,
    now: Date,
  ): Promise<FreshnessChange> {
    const { opsWebhookUrl, windowMinutes } = this.deps.settings;
    const alert = freshnessAlert(stat, state, windowMinutes, now);
    const queued = opsWebhookUrl
      ? await enqueueOutbox(tx, [
          wecomOutboxEntry({
            webhookUrl: opsWebhookUrl,
            message: markdownMessage(alert),
            dedupeKey: `wecom:freshness:${stat.source}:${stat.stage}:${state}:${shanghaiHour(now)}`,
            purpose: 'freshness',
          }),
        ])
      : 0;
    const target = opsWebhookUrl ? (queued > 0 ? 'OPS_WECOM' : 'DUPLICATE') : 'NOT_CONFIGURED';
    const { rows } = await tx.query<{ id: string }>(
      `insert into freshness_alert (occurred_at, stage, source, state, window_minutes, sample_count,
          share_within_target, p90_seconds, target_seconds, alert, alert_target)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
      [
        now,
        stat.stage,
        stat.source,
        state,
        windowMinutes,
        stat.count,
        stat.shareWithinTarget,
        stat.p90Seconds,
        stat.targetSeconds,
        alert,
        target,
      ],
    );
    return { id: rows[0].id, stage: stat.stage, source: stat.source, state, alerted: queued > 0 };
  }
}

const keyOf = (s: { stage: string; source: string }) => `${s.stage}/${s.source}`;

async function latestStates(tx: pg.PoolClient): Promise<Map<string, FreshnessAlertState>> {
  const { rows } = await tx.query<{ stage: string; source: string; state: FreshnessAlertState }>(
    `select distinct on (stage, source) stage, source, state from freshness_alert
      order by stage, source, occurred_at desc, id desc`,
  );
  return new Map(rows.map((r) => [keyOf(r), r.state]));
}

/** `2026-11-25T14` in Shanghai: the hour a dedupe key is scoped to. */
function shanghaiHour(now: Date): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 13);
}

/** The operations-group message for a change, as WeCom markdown. No personal data. */
export function freshnessAlert(
  stat: FreshnessStat,
  state: FreshnessAlertState,
  windowMinutes: number,
  at: Date,
): string {
  const behind = state === 'BEHIND';
  return [
    behind
      ? `## <font color="warning">状态回传落后：${freshnessSubject(stat)}</font>`
      : `## <font color="info">状态回传已恢复：${freshnessSubject(stat)}</font>`,
    `> ${freshnessFigures(stat, windowMinutes)}`,
    `> 时间：${formatShanghai(at)}（北京时间）`,
    '',
    behind
      ? `订单状态、超时判断与客户看到的进度因此滞后：请检查 ${stat.source} 的推送与对接队列。恢复后会再通知。`
      : '回传已回到目标以内。',
  ].join('\n');
}
