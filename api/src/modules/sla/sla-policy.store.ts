import type pg from 'pg';
import { type FieldError, fail, ok, type Result } from '../../domain/shared/result.js';
import {
  DEFAULT_SLA_POLICIES,
  type SlaPolicyDraft,
  type SlaPolicyScope,
} from '../../domain/sla/sla-policy.js';
import { parseSlaPolicyInput } from '../../domain/sla/validate-sla-policy.js';
import { inTransaction } from '../../infra/db/transaction.js';
import type { Logger } from '../../infra/logging/logger.js';
import { makeOrdersDueForSla } from '../orders/order-store.js';

/** A pool or a client inside a transaction. */
export type Db = pg.Pool | pg.PoolClient;

/** Serialises policy saves and seeding, so "one active version per key" holds. */
const SLA_POLICY_LOCK_ID = 727_011;

const ANY = '*';

/** `NORMAL:*:*`, `CUSTOM:*:custom-made`, `NORMAL:TAOBAO:*`. */
export function policyKeyOf(scope: SlaPolicyScope): string {
  return `${scope.businessType}:${scope.channel ?? ANY}:${scope.groupId ?? ANY}`;
}

/** One stored version of a policy. */
export interface SlaPolicyVersionRow {
  id: string;
  policyKey: string;
  version: number;
  definition: SlaPolicyDraft;
  createdBy: string;
  createdAt: Date;
  comment: string | null;
  active: boolean;
}

/** An active version, ready for `selectPolicy`: its scope, its rules, and which version it is. */
export interface ActiveSlaPolicy extends SlaPolicyScope {
  key: string;
  version: number;
  draft: SlaPolicyDraft;
}

interface VersionDbRow {
  id: string;
  policy_key: string;
  version: number;
  definition: unknown;
  created_by: string;
  created_at: Date;
  comment: string | null;
  active: boolean;
}

const COLUMNS = 'id, policy_key, version, definition, created_by, created_at, comment, active';

/** Rows are re-validated when read; a row that no longer validates is reported and left out. */
function toVersion(row: VersionDbRow, logger?: Logger): SlaPolicyVersionRow | null {
  const parsed = parseSlaPolicyInput(row.definition);
  if (!parsed.ok) {
    logger?.error(
      { policyKey: row.policy_key, version: row.version, errors: parsed.errors.map((e) => e.field) },
      'stored SLA policy version does not validate; ignored',
    );
    return null;
  }
  return {
    id: String(row.id),
    policyKey: row.policy_key,
    version: row.version,
    definition: parsed.value,
    createdBy: row.created_by,
    createdAt: row.created_at,
    comment: row.comment,
    active: row.active,
  };
}

async function insertVersion(
  tx: pg.PoolClient,
  draft: SlaPolicyDraft,
  version: number,
  meta: { createdBy: string; comment: string | null; now: Date },
): Promise<VersionDbRow> {
  const { rows } = await tx.query<VersionDbRow>(
    `insert into sla_policy_version (policy_key, business_type, channel, group_id, version, definition,
        created_by, created_at, comment, active)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, true) returning ${COLUMNS}`,
    [
      policyKeyOf(draft),
      draft.businessType,
      draft.channel,
      draft.groupId,
      version,
      JSON.stringify(draft),
      meta.createdBy,
      meta.now,
      meta.comment,
    ],
  );
  return rows[0];
}

/** Seeds `DEFAULT_SLA_POLICIES` into an empty table; returns whether it did. */
export async function ensureSlaDefaults(pool: pg.Pool, now: Date = new Date()): Promise<boolean> {
  const { rowCount } = await pool.query('select 1 from sla_policy_version limit 1');
  if (rowCount) return false;
  return inTransaction(pool, async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [SLA_POLICY_LOCK_ID]);
    const again = await tx.query('select 1 from sla_policy_version limit 1');
    if (again.rowCount) return false;
    for (const draft of DEFAULT_SLA_POLICIES)
      await insertVersion(tx, draft, 1, { createdBy: 'system', comment: '默认时效', now });
    return true;
  });
}

/**
 * The active versions, read fresh on every call (the sweep calls it once per run, so a saved
 * change applies from the next run, in every worker). Seeds the defaults into an empty table.
 */
export async function loadActivePolicies(pool: pg.Pool, logger?: Logger): Promise<ActiveSlaPolicy[]> {
  await ensureSlaDefaults(pool);
  const { rows } = await pool.query<VersionDbRow>(
    `select ${COLUMNS} from sla_policy_version where active order by policy_key`,
  );
  return rows.flatMap((row) => {
    const version = toVersion(row, logger);
    return version ? [toActive(version)] : [];
  });
}

export const toActive = (row: SlaPolicyVersionRow): ActiveSlaPolicy => ({
  key: row.policyKey,
  version: row.version,
  businessType: row.definition.businessType,
  channel: row.definition.channel,
  groupId: row.definition.groupId,
  draft: row.definition,
});

export async function listActiveVersions(pool: pg.Pool, logger?: Logger): Promise<SlaPolicyVersionRow[]> {
  await ensureSlaDefaults(pool);
  const { rows } = await pool.query<VersionDbRow>(
    `select ${COLUMNS} from sla_policy_version where active order by policy_key`,
  );
  return rows.flatMap((row) => toVersion(row, logger) ?? []);
}

/** Every version of one key, newest first. */
export async function listVersionsOf(db: Db, policyKey: string): Promise<SlaPolicyVersionRow[]> {
  const { rows } = await db.query<VersionDbRow>(
    `select ${COLUMNS} from sla_policy_version where policy_key = $1 order by version desc`,
    [policyKey],
  );
  return rows.flatMap((row) => toVersion(row) ?? []);
}

export async function findPolicyVersion(
  db: Db,
  policyKey: string,
  version: number,
): Promise<SlaPolicyVersionRow | null> {
  const { rows } = await db.query<VersionDbRow>(
    `select ${COLUMNS} from sla_policy_version where policy_key = $1 and version = $2`,
    [policyKey, version],
  );
  return rows[0] ? toVersion(rows[0]) : null;
}

export interface SavePolicyOptions {
  createdBy: string;
  comment: string | null;
  now: Date;
}

const MAX_COMMENT = 500;

/**
 * Validates a policy and, when it has no defect, saves it as the next version of its key and the
 * only active one, in one transaction. Open orders the key may govern are marked due, so the next
 * sweep judges them by it. Nothing is written on a defect.
 */
export async function saveSlaPolicy(
  pool: pg.Pool,
  raw: unknown,
  options: SavePolicyOptions,
): Promise<Result<SlaPolicyVersionRow>> {
  const comment = options.comment?.trim() || null;
  const errors: FieldError[] = [];
  if (comment !== null && comment.length > MAX_COMMENT)
    errors.push({
      field: 'comment',
      code: 'TOO_LARGE',
      message: `Keep the comment within ${MAX_COMMENT} characters.`,
    });
  const parsed = parseSlaPolicyInput(raw);
  if (!parsed.ok) errors.push(...parsed.errors);
  if (!parsed.ok || errors.length > 0) return fail(errors);
  const draft = parsed.value;
  await ensureSlaDefaults(pool, options.now);
  const saved = await inTransaction(pool, async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [SLA_POLICY_LOCK_ID]);
    const key = policyKeyOf(draft);
    const { rows } = await tx.query<{ next: number }>(
      'select coalesce(max(version), 0) + 1 as next from sla_policy_version where policy_key = $1',
      [key],
    );
    await tx.query('update sla_policy_version set active = false where policy_key = $1 and active', [key]);
    const row = await insertVersion(tx, draft, rows[0].next, {
      createdBy: options.createdBy,
      comment,
      now: options.now,
    });
    // Open orders the scope covers are judged again under the new version.
    await makeOrdersDueForSla(tx, {
      businessType: draft.businessType,
      channel: draft.channel,
      groupId: draft.groupId,
    });
    return row;
  });
  return ok(toVersion(saved)!);
}
