import type pg from 'pg';
import { CHANNELS, type Channel } from '../../domain/order/order-types.js';
import type { RoutingMode, RoutingModes, ScopeMode } from '../../domain/routing/parse-health.js';
import type { SqlExecutor } from '../../infra/outbox/outbox.js';

/** The mode of one routing scope: the whole platform, or one channel. */
export interface RoutingState {
  mode: RoutingMode;
  reason: string | null;
  changedAt: Date | null;
  changedBy: string | null;
  autoResume: boolean;
  /** Last run of the automatic check (kept for the whole platform only). */
  lastCheckedAt: Date | null;
}

/** The whole platform's mode and each channel's, as stored. */
export interface RoutingStates {
  platform: RoutingState;
  channels: Record<Channel, RoutingState>;
}

/** `null` scope: the whole platform. */
export type RoutingScope = Channel | null;

export const INITIAL_STATE: Readonly<RoutingState> = Object.freeze({
  mode: 'ACTIVE',
  reason: null,
  changedAt: null,
  changedBy: null,
  autoResume: true,
  lastCheckedAt: null,
});

interface StateRow {
  routing_mode: RoutingMode;
  reason: string | null;
  changed_at: Date | null;
  changed_by: string | null;
  auto_resume: boolean;
  last_checked_at?: Date | null;
}

const COLUMNS = 'routing_mode, reason, changed_at, changed_by, auto_resume';

const toState = (row: StateRow): RoutingState => ({
  mode: row.routing_mode,
  reason: row.reason,
  changedAt: row.changed_at,
  changedBy: row.changed_by,
  autoResume: row.auto_resume,
  lastCheckedAt: row.last_checked_at ?? null,
});

/** The platform's and every channel's mode (ACTIVE where nothing was ever recorded). */
export async function readRoutingStates(db: SqlExecutor, lock = false): Promise<RoutingStates> {
  const forUpdate = lock ? ' for update' : '';
  const platform = (await db.query(
    `select ${COLUMNS}, last_checked_at from flow_health_state where id = 1${forUpdate}`,
    [],
  )) as { rows: StateRow[] };
  const channelRows = (await db.query(
    `select channel, ${COLUMNS} from channel_routing_state order by channel${forUpdate}`,
    [],
  )) as { rows: (StateRow & { channel: string })[] };
  const channels = {} as Record<Channel, RoutingState>;
  for (const channel of CHANNELS) channels[channel] = INITIAL_STATE;
  for (const row of channelRows.rows)
    if ((CHANNELS as readonly string[]).includes(row.channel))
      channels[row.channel as Channel] = toState(row);
  return { platform: platform.rows[0] ? toState(platform.rows[0]) : INITIAL_STATE, channels };
}

/**
 * Creates the rows on first use and locks them all for the rest of the transaction, the platform
 * row first and the channels in name order, so concurrent checks and operators queue up.
 */
export async function lockRoutingStates(tx: pg.PoolClient): Promise<RoutingStates> {
  await tx.query(
    `insert into flow_health_state (id, routing_mode, auto_resume) values (1, 'ACTIVE', true)
     on conflict (id) do nothing`,
  );
  await tx.query(
    `insert into channel_routing_state (channel, routing_mode, auto_resume)
     select unnest($1::text[]), 'ACTIVE', true on conflict (channel) do nothing`,
    [[...CHANNELS].sort()],
  );
  return readRoutingStates(tx, true);
}

export const stateOf = (states: RoutingStates, scope: RoutingScope): RoutingState =>
  scope === null ? states.platform : states.channels[scope];

/** Sets a scope's mode; the caller holds the lock and records the change. */
export async function writeScopeMode(
  tx: pg.PoolClient,
  scope: RoutingScope,
  change: { mode: RoutingMode; reason: string; at: Date; by: string; autoResume: boolean },
): Promise<void> {
  const values = [change.mode, change.reason, change.at, change.by, change.autoResume];
  if (scope === null)
    await tx.query(
      `update flow_health_state set routing_mode = $1, reason = $2, changed_at = $3, changed_by = $4,
              auto_resume = $5 where id = 1`,
      values,
    );
  else
    await tx.query(
      `update channel_routing_state set routing_mode = $1, reason = $2, changed_at = $3, changed_by = $4,
              auto_resume = $5 where channel = $6`,
      [...values, scope],
    );
}

/** The stored modes as the pure decision reads them. */
export function currentModes(states: RoutingStates): RoutingModes {
  const scope = (s: RoutingState): ScopeMode => ({
    mode: s.mode,
    autoResume: s.autoResume,
    activeSince: s.mode === 'ACTIVE' ? s.changedAt : null,
  });
  const channels: RoutingModes['channels'] = {};
  for (const channel of CHANNELS) channels[channel] = scope(states.channels[channel]);
  return { platform: scope(states.platform), channels };
}

/** Channels whose new orders are routed now: neither the platform nor the channel is paused. */
export function routedChannels(states: RoutingStates): Channel[] {
  if (states.platform.mode === 'PAUSED') return [];
  return CHANNELS.filter((c) => states.channels[c].mode === 'ACTIVE');
}
