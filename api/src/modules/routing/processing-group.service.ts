import type pg from 'pg';
import { type FieldError, fail, ok, type Result } from '../../domain/shared/result.js';
import { activeVersion, ensureRoutingDefaults, lockRuleSets } from './routing-rules.store.js';

/** A processing group as submitted: every field but id and name may be left empty. */
export interface ProcessingGroupDraft {
  id: string;
  name: string;
  ownerUserId?: string | null;
  ownerName?: string | null;
  ownerMobile?: string | null;
  supervisorUserId?: string | null;
  supervisorName?: string | null;
  supervisorMobile?: string | null;
  wecomWebhookUrl?: string | null;
  capacity?: number | null;
  active?: boolean | null;
}

export interface ProcessingGroupRow {
  id: string;
  name: string;
  ownerUserId: string | null;
  ownerName: string | null;
  ownerMobile: string | null;
  supervisorUserId: string | null;
  supervisorName: string | null;
  supervisorMobile: string | null;
  wecomWebhookUrl: string | null;
  capacity: number | null;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAINLAND_MOBILE = /^(?:\+?86)?(1[3-9]\d{9})$/;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Pure: checks a group and returns it cleaned (trimmed, mobiles as 11 digits). Messages never
 * repeat the mobile or the robot URL given.
 */
export function validateGroupDraft(
  draft: ProcessingGroupDraft,
  options: { allowLocalWebhooks: boolean },
): Result<Omit<ProcessingGroupRow, 'createdAt' | 'updatedAt'>> {
  const errors: FieldError[] = [];
  const push = (field: string, code: string, message: string) => errors.push({ field, code, message });
  const id = draft.id.trim();
  if (!SLUG.test(id))
    push('id', 'INVALID_ID', '编号应为 1–40 位小写字母、数字或连字符，且不以连字符开头或结尾');
  const name = draft.name.trim();
  if (name === '') push('name', 'REQUIRED', '缺少组名');
  else if (name.length > 40) push('name', 'TOO_LONG', '组名最多 40 个字');

  const text = (value: string | null | undefined, field: string, max: number) => {
    const t = value?.trim() ?? '';
    if (t.length > max) push(field, 'TOO_LONG', `最多 ${max} 个字`);
    return t === '' ? null : t;
  };
  const userId = (value: string | null | undefined, field: string) => {
    const t = value?.trim() ?? '';
    if (t === '') return null;
    if (!UUID.test(t)) push(field, 'INVALID_USER_ID', '应为员工账号编号（UUID）');
    return t.toLowerCase();
  };
  const mobile = (value: string | null | undefined, field: string) => {
    const t = value?.replace(/[\s\-()]/g, '') ?? '';
    if (t === '') return null;
    const match = MAINLAND_MOBILE.exec(t);
    if (!match) {
      push(field, 'INVALID_MOBILE', '应为 11 位中国大陆手机号');
      return null;
    }
    return match[1];
  };

  const capacity = draft.capacity ?? null;
  if (capacity !== null && (!Number.isSafeInteger(capacity) || capacity < 0 || capacity > 1_000_000)) {
    push('capacity', 'INVALID_CAPACITY', '容量应为 0 到 1000000 的整数');
  }
  const group = {
    id,
    name,
    ownerUserId: userId(draft.ownerUserId, 'ownerUserId'),
    ownerName: text(draft.ownerName, 'ownerName', 40),
    ownerMobile: mobile(draft.ownerMobile, 'ownerMobile'),
    supervisorUserId: userId(draft.supervisorUserId, 'supervisorUserId'),
    supervisorName: text(draft.supervisorName, 'supervisorName', 40),
    supervisorMobile: mobile(draft.supervisorMobile, 'supervisorMobile'),
    wecomWebhookUrl: webhookUrl(draft.wecomWebhookUrl, options.allowLocalWebhooks, push),
    capacity,
    active: draft.active ?? true,
  };
  return errors.length > 0 ? fail(errors) : ok(group);
}

function webhookUrl(
  value: string | null | undefined,
  allowLocal: boolean,
  push: (field: string, code: string, message: string) => void,
): string | null {
  const raw = value?.trim() ?? '';
  if (raw === '') return null;
  const field = 'wecomWebhookUrl';
  if (raw.length > 500) {
    push(field, 'TOO_LONG', '机器人地址最多 500 个字符');
    return null;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    push(
      field,
      'INVALID_URL',
      '不是有效的网址，应形如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
    );
    return null;
  }
  if (url.username || url.password) {
    push(field, 'INVALID_URL', '网址不能包含用户名或密码');
    return null;
  }
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol === 'https:' && !local) return url.toString();
  if (allowLocal && local && (url.protocol === 'http:' || url.protocol === 'https:')) return url.toString();
  push(
    field,
    'INVALID_URL',
    local ? '不允许本机地址（仅测试环境开启 WECOM_ALLOW_LOCAL 时可用）' : '企业微信机器人地址必须使用 https',
  );
  return null;
}

const GROUP_COLUMNS = `id, name, owner_user_id, owner_name, owner_mobile, supervisor_user_id, supervisor_name,
  supervisor_mobile, wecom_webhook_url, capacity, active, created_at, updated_at`;

interface GroupDbRow {
  id: string;
  name: string;
  owner_user_id: string | null;
  owner_name: string | null;
  owner_mobile: string | null;
  supervisor_user_id: string | null;
  supervisor_name: string | null;
  supervisor_mobile: string | null;
  wecom_webhook_url: string | null;
  capacity: number | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

const toGroup = (r: GroupDbRow): ProcessingGroupRow => ({
  id: r.id,
  name: r.name,
  ownerUserId: r.owner_user_id,
  ownerName: r.owner_name,
  ownerMobile: r.owner_mobile,
  supervisorUserId: r.supervisor_user_id,
  supervisorName: r.supervisor_name,
  supervisorMobile: r.supervisor_mobile,
  wecomWebhookUrl: r.wecom_webhook_url,
  capacity: r.capacity,
  active: r.active,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function listGroups(db: pg.Pool, includeInactive: boolean): Promise<ProcessingGroupRow[]> {
  const { rows } = await db.query<GroupDbRow>(
    `select ${GROUP_COLUMNS} from processing_group where $1 or active order by id`,
    [includeInactive],
  );
  return rows.map(toGroup);
}

export async function findGroup(db: pg.Pool, id: string): Promise<ProcessingGroupRow | null> {
  const { rows } = await db.query<GroupDbRow>(`select ${GROUP_COLUMNS} from processing_group where id = $1`, [
    id,
  ]);
  return rows[0] ? toGroup(rows[0]) : null;
}

/**
 * Creates or replaces a group. Owner and supervisor must be active staff accounts; a group the
 * active rule set routes to cannot be deactivated (save rules without it first).
 */
export async function upsertGroup(
  pool: pg.Pool,
  draft: ProcessingGroupDraft,
  options: { allowLocalWebhooks: boolean; now: Date },
): Promise<Result<ProcessingGroupRow>> {
  const checked = validateGroupDraft(draft, options);
  if (!checked.ok) return checked;
  const group = checked.value;
  // Seed first, so the defaults never land on top of groups an operator already set up.
  await ensureRoutingDefaults(pool, options.now);
  const tx = await pool.connect();
  try {
    await tx.query('begin');
    await lockRuleSets(tx);
    const errors: FieldError[] = [];
    const userIds = [group.ownerUserId, group.supervisorUserId].filter((u): u is string => u !== null);
    if (userIds.length > 0) {
      const { rows } = await tx.query<{ id: string }>(
        'select id from staff_user where id = any($1::uuid[]) and active',
        [userIds],
      );
      const known = new Set(rows.map((r) => r.id));
      if (group.ownerUserId && !known.has(group.ownerUserId))
        errors.push({ field: 'ownerUserId', code: 'UNKNOWN_USER', message: '没有这个在职员工账号' });
      if (group.supervisorUserId && !known.has(group.supervisorUserId))
        errors.push({ field: 'supervisorUserId', code: 'UNKNOWN_USER', message: '没有这个在职员工账号' });
    }
    if (!group.active) {
      const active = await activeVersion(tx);
      const used =
        active !== null &&
        (active.defaultGroupId === group.id || active.rules.some((r) => r.enabled && r.groupId === group.id));
      if (used)
        errors.push({
          field: 'active',
          code: 'GROUP_IN_USE',
          message: `当前规则集（版本 ${active!.version}）仍把订单分配到该组，请先修改规则再停用`,
        });
    }
    if (errors.length > 0) {
      await tx.query('rollback');
      return fail(errors);
    }
    const { rows } = await tx.query<GroupDbRow>(
      `insert into processing_group (id, name, owner_user_id, owner_name, owner_mobile, supervisor_user_id,
          supervisor_name, supervisor_mobile, wecom_webhook_url, capacity, active, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
       on conflict (id) do update set name = excluded.name, owner_user_id = excluded.owner_user_id,
          owner_name = excluded.owner_name, owner_mobile = excluded.owner_mobile,
          supervisor_user_id = excluded.supervisor_user_id, supervisor_name = excluded.supervisor_name,
          supervisor_mobile = excluded.supervisor_mobile, wecom_webhook_url = excluded.wecom_webhook_url,
          capacity = excluded.capacity, active = excluded.active, updated_at = excluded.updated_at
       returning ${GROUP_COLUMNS}`,
      [
        group.id,
        group.name,
        group.ownerUserId,
        group.ownerName,
        group.ownerMobile,
        group.supervisorUserId,
        group.supervisorName,
        group.supervisorMobile,
        group.wecomWebhookUrl,
        group.capacity,
        group.active,
        options.now,
      ],
    );
    await tx.query('commit');
    return ok(toGroup(rows[0]));
  } catch (error) {
    await tx.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    tx.release();
  }
}
