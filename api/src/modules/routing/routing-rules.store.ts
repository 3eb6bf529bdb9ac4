import type pg from 'pg';
import {
  type CompiledRule,
  type CompiledRuleSet,
  compileRuleSet,
} from '../../domain/routing/compile-rule-set.js';
import type { RoutingMode } from '../../domain/routing/parse-health.js';
import type { RoutingRule, RuleSet } from '../../domain/routing/routing-rule.js';
import { parseRuleSetInput, type RegionCodeExists } from '../../domain/routing/validate-rule-set.js';
import { type FieldError, fail, ok, type Result } from '../../domain/shared/result.js';
import { inTransaction } from '../../infra/db/transaction.js';
import { DEFAULT_GROUP_ID, DEFAULT_GROUPS, DEFAULT_RULES } from './routing-defaults.js';

/** A pool or a client inside a transaction. */
export type Db = pg.Pool | pg.PoolClient;

/**
 * Serialises rule-set saves, seeding and group deactivation, so "exactly one active" holds. A
 * two-key advisory lock, apart from the platform's one-key locks.
 */
const RULE_SET_LOCK = `pg_advisory_xact_lock(727, hashtext('routing_rule_set'))`;

export interface RuleSetVersionRow {
  version: number;
  rules: RoutingRule[];
  defaultGroupId: string;
  createdBy: string;
  createdAt: Date;
  comment: string | null;
  active: boolean;
}

export interface GroupSummary {
  id: string;
  name: string;
  ownerUserId: string | null;
  active: boolean;
}

/** The active rule set compiled, with the groups it routes to: what routing an order needs. */
export interface RoutingState {
  version: number;
  ruleSet: RuleSet;
  compiled: CompiledRuleSet;
  rulesById: ReadonlyMap<string, CompiledRule>;
  groups: ReadonlyMap<string, GroupSummary>;
}

const VERSION_COLUMNS = `version, rules, default_group_id, created_by, created_at, comment, active`;

interface VersionDbRow {
  version: number;
  rules: RoutingRule[];
  default_group_id: string;
  created_by: string;
  created_at: Date;
  comment: string | null;
  active: boolean;
}

const toVersion = (r: VersionDbRow): RuleSetVersionRow => ({
  version: r.version,
  rules: r.rules,
  defaultGroupId: r.default_group_id,
  createdBy: r.created_by,
  createdAt: r.created_at,
  comment: r.comment,
  active: r.active,
});

/** Takes the rule-set lock for the rest of the transaction. */
export async function lockRuleSets(tx: pg.PoolClient): Promise<void> {
  await tx.query(`select ${RULE_SET_LOCK}`);
}

/**
 * Seeds the default groups and rule set into a database that has no rule set yet; does nothing
 * otherwise. Existing groups are kept as they are. Returns whether it seeded.
 */
export async function ensureRoutingDefaults(pool: pg.Pool, now: Date = new Date()): Promise<boolean> {
  return inTransaction(pool, async (tx) => {
    await lockRuleSets(tx);
    const { rowCount } = await tx.query('select 1 from routing_rule_set_version limit 1');
    if (rowCount) return false;
    await tx.query(
      `insert into processing_group (id, name, capacity, active, created_at, updated_at)
       select t.id, t.name, t.capacity, true, $4, $4 from unnest($1::text[], $2::text[], $3::int[]) as t(id, name, capacity)
       on conflict (id) do nothing`,
      [
        DEFAULT_GROUPS.map((g) => g.id),
        DEFAULT_GROUPS.map((g) => g.name),
        DEFAULT_GROUPS.map((g) => g.capacity),
        now,
      ],
    );
    // A kept group may have been deactivated; the seeded rules need theirs active.
    await tx.query(
      `update processing_group set active = true, updated_at = $2 where id = any($1) and not active`,
      [DEFAULT_GROUPS.map((g) => g.id), now],
    );
    await tx.query(
      `insert into routing_rule_set_version (version, rules, default_group_id, created_by, created_at, comment, active)
       values (1, $1, $2, 'system', $3, '初始默认规则集', true)`,
      [JSON.stringify(DEFAULT_RULES), DEFAULT_GROUP_ID, now],
    );
    return true;
  });
}

const stateCache = new WeakMap<pg.Pool, { key: string; state: RoutingState }>();

/** Whether both routing mode tables existed at the last look, per database. */
const modeTables = new WeakMap<pg.Pool, boolean>();

const PLATFORM_PAUSED = `select '*' from flow_health_state where routing_mode = 'PAUSED'`;
const CHANNELS_PAUSED = `select channel from channel_routing_state where routing_mode = 'PAUSED'`;

/** The paused scopes as one text array: `*` for the whole platform, else channel names. */
const pausedScopes = (platform: boolean, channels: boolean) =>
  `(select array(${[platform && PLATFORM_PAUSED, channels && CHANNELS_PAUSED].filter(Boolean).join(' union all ')}))`;

const BOTH_TABLES = pausedScopes(true, true);
const TABLES_THERE = `array[to_regclass('flow_health_state') is not null, to_regclass('channel_routing_state') is not null]`;

/** Where routing is paused now; what flow health publishes. */
export interface PausedRouting {
  mode: RoutingMode;
  /** Channels paused on their own (whatever the platform's mode). */
  pausedChannels: ReadonlySet<string>;
}

const NOT_PAUSED: PausedRouting = { mode: 'ACTIVE', pausedChannels: new Set() };

function pausedOf(scopes: unknown): PausedRouting {
  if (!Array.isArray(scopes) || scopes.length === 0) return NOT_PAUSED;
  const channels = new Set(scopes.filter((s): s is string => typeof s === 'string' && s !== '*'));
  return { mode: scopes.includes('*') ? 'PAUSED' : 'ACTIVE', pausedChannels: channels };
}

/**
 * The active rule set, compiled, and the groups. Compiled once per version and reused; one small
 * query per call checks that neither the version nor the groups changed (in any process).
 */
export async function loadRoutingState(pool: pg.Pool): Promise<RoutingState> {
  return (await loadFingerprinted(pool, 'null')).state;
}

/**
 * The routing state and the routing modes flow health publishes (`flow_health_state` for the
 * whole platform, `channel_routing_state` per channel) in one round trip. No row, or no table
 * yet, means ACTIVE; a row saying PAUSED pauses its scope. Whether the tables exist is checked
 * with `to_regclass` until both do, so a missing table never raises an error (a failed query
 * costs the pool its connection).
 */
export async function loadRoutingSnapshot(pool: pg.Pool): Promise<{ state: RoutingState } & PausedRouting> {
  const known = modeTables.get(pool) === true;
  let result: { state: RoutingState; extra: unknown };
  try {
    result = await loadFingerprinted(pool, known ? BOTH_TABLES : TABLES_THERE);
  } catch (error) {
    if (!known || (error as { code?: string }).code !== '42P01') throw error;
    modeTables.set(pool, false);
    return loadRoutingSnapshot(pool);
  }
  if (known) return { state: result.state, ...pausedOf(result.extra) };
  const [platform, channels] = result.extra as [boolean, boolean];
  if (!platform && !channels) return { state: result.state, ...NOT_PAUSED };
  modeTables.set(pool, platform && channels);
  const { rows } = await pool.query<{ paused: unknown }>(
    `select ${pausedScopes(platform, channels)} as paused`,
  );
  return { state: result.state, ...pausedOf(rows[0].paused) };
}

async function loadFingerprinted(
  pool: pg.Pool,
  extra: string,
): Promise<{ state: RoutingState; extra: unknown }> {
  for (let attempt = 0; ; attempt++) {
    const { rows } = await pool.query<{ version: number | null; groups: string | null; extra: unknown }>(
      `select (select version from routing_rule_set_version where active) as version,
              (select md5(string_agg(concat_ws('|', id, name, owner_user_id, active), ',' order by id))
                 from processing_group) as groups,
              ${extra} as extra`,
    );
    const fingerprint = rows[0];
    if (fingerprint.version === null) {
      if (attempt > 0) throw new Error('no active routing rule set after seeding the defaults');
      await ensureRoutingDefaults(pool);
      continue;
    }
    const key = `${fingerprint.version}|${fingerprint.groups ?? ''}`;
    const cached = stateCache.get(pool);
    if (cached?.key === key) return { state: cached.state, extra: fingerprint.extra };
    const state = await readRoutingState(pool);
    stateCache.set(pool, { key, state });
    return { state, extra: fingerprint.extra };
  }
}

async function readRoutingState(db: Db): Promise<RoutingState> {
  const [active, groups] = await Promise.all([activeVersion(db), listGroupSummaries(db)]);
  if (active === null) throw new Error('no active routing rule set');
  const ruleSet: RuleSet = {
    version: active.version,
    rules: active.rules,
    defaultGroupId: active.defaultGroupId,
  };
  const compiled = compileRuleSet(ruleSet);
  return {
    version: active.version,
    ruleSet,
    compiled,
    rulesById: new Map(compiled.rules.map((r) => [r.rule.id, r])),
    groups: new Map(groups.map((g) => [g.id, g])),
  };
}

export async function listGroupSummaries(db: Db): Promise<GroupSummary[]> {
  const { rows } = await db.query<{
    id: string;
    name: string;
    owner_user_id: string | null;
    active: boolean;
  }>('select id, name, owner_user_id, active from processing_group order by id');
  return rows.map((r) => ({ id: r.id, name: r.name, ownerUserId: r.owner_user_id, active: r.active }));
}

export async function activeVersion(db: Db): Promise<RuleSetVersionRow | null> {
  const { rows } = await db.query<VersionDbRow>(
    `select ${VERSION_COLUMNS} from routing_rule_set_version where active`,
  );
  return rows[0] ? toVersion(rows[0]) : null;
}

export async function findVersion(db: Db, version: number): Promise<RuleSetVersionRow | null> {
  const { rows } = await db.query<VersionDbRow>(
    `select ${VERSION_COLUMNS} from routing_rule_set_version where version = $1`,
    [version],
  );
  return rows[0] ? toVersion(rows[0]) : null;
}

/** Newest first; `before` is the version to continue below (exclusive). */
export async function listVersions(
  db: Db,
  first: number,
  before: number | null,
): Promise<{ versions: RuleSetVersionRow[]; hasMore: boolean; total: number }> {
  const [{ rows }, count] = await Promise.all([
    db.query<VersionDbRow>(
      `select ${VERSION_COLUMNS} from routing_rule_set_version
        where ($1::int is null or version < $1) order by version desc limit $2`,
      [before, first + 1],
    ),
    db.query<{ n: number }>('select count(*)::int as n from routing_rule_set_version'),
  ]);
  return {
    versions: rows.slice(0, first).map(toVersion),
    hasMore: rows.length > first,
    total: count.rows[0].n,
  };
}

/** Group ids rules may route to: the active groups. */
export async function activeGroupIds(db: Db): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>('select id from processing_group where active');
  return new Set(rows.map((r) => r.id));
}

export interface SaveRuleSetOptions {
  createdBy: string;
  comment: string | null;
  /** When given, the save is refused if another version became active since. */
  baseVersion: number | null;
  /** From the division data in use; without it region codes are checked for shape only. */
  isKnownRegionCode: RegionCodeExists | undefined;
  now: Date;
}

/**
 * Validates a rule set and, when it has no defect, saves it as the next version and makes it the
 * only active one, in one transaction under the rule-set lock. Nothing is written on a defect.
 */
export async function saveRuleSet(
  pool: pg.Pool,
  raw: unknown,
  options: SaveRuleSetOptions,
): Promise<Result<RuleSetVersionRow>> {
  const comment = options.comment?.trim() || null;
  if (comment !== null && comment.length > 500) {
    return fail([{ field: 'comment', code: 'TOO_LONG', message: '说明最多 500 个字' }]);
  }
  // The first save on a new database comes after the seeded version, whose groups it may use.
  await ensureRoutingDefaults(pool, options.now);
  return inTransaction(pool, async (tx) => {
    await lockRuleSets(tx);
    const current = await activeVersion(tx);
    if (options.baseVersion !== null && current !== null && current.version !== options.baseVersion) {
      return fail<FieldError[]>([
        {
          field: 'baseVersion',
          code: 'STALE_VERSION',
          message: `规则集已被更新为版本 ${current.version}，请基于最新版本修改后再保存`,
        },
      ]);
    }
    const parsed = parseRuleSetInput(raw, await activeGroupIds(tx), options.isKnownRegionCode);
    if (!parsed.ok) return parsed;
    const { rows } = await tx.query<{ next: number }>(
      'select coalesce(max(version), 0) + 1 as next from routing_rule_set_version',
    );
    await tx.query('update routing_rule_set_version set active = false where active');
    const inserted = await tx.query<VersionDbRow>(
      `insert into routing_rule_set_version (version, rules, default_group_id, created_by, created_at, comment, active)
       values ($1, $2, $3, $4, $5, $6, true) returning ${VERSION_COLUMNS}`,
      [
        rows[0].next,
        JSON.stringify(parsed.value.rules),
        parsed.value.defaultGroupId,
        options.createdBy,
        options.now,
        comment,
      ],
    );
    return ok(toVersion(inserted.rows[0]));
  });
}

/** Validates a proposed rule set exactly as a save would, without writing. */
export async function parseProposedRuleSet(
  pool: pg.Pool,
  raw: unknown,
  isKnownRegionCode: RegionCodeExists | undefined,
): Promise<Result<RuleSet>> {
  const parsed = parseRuleSetInput(raw, await activeGroupIds(pool), isKnownRegionCode);
  if (!parsed.ok) return parsed;
  return ok({ ...parsed.value, version: 0 });
}
