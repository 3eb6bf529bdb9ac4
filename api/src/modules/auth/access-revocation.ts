import type { Orm } from '../../infra/db/orm.js';
import type { AuthAuditAction } from './auth-audit.entity.js';
import { REVOCATION_CHANNEL, type Revocation, revocationPayload } from './revocation-listener.js';

/**
 * Taking access back. Each change, its audit row and its announcement (NOTIFY, delivered to every
 * API process on commit) are one transaction: the change is never made without being announced.
 */

export interface Actor {
  /** The staff user acting. */
  userId: string;
  address: string | null;
}

/** Deactivates a staff user and invalidates every token they hold. Null when there is no such user. */
export async function deactivateStaffUser(
  orm: Orm,
  userId: string,
  actor: Actor,
  now: Date,
): Promise<{ id: string; username: string } | null> {
  return changeStaff(orm, userId, actor, now, 'STAFF_DEACTIVATED', 'active = false,');
}

/** Invalidates every token a staff user holds; they may sign in again. Null when there is no such user. */
export async function revokeStaffSessions(
  orm: Orm,
  userId: string,
  actor: Actor,
  now: Date,
): Promise<{ id: string; username: string } | null> {
  return changeStaff(orm, userId, actor, now, 'STAFF_SESSIONS_REVOKED', '');
}

/** Revokes a partner API key for good. Null when there is no such client. */
export async function revokeApiClient(
  orm: Orm,
  clientId: string,
  actor: Actor,
  now: Date,
): Promise<{ id: string; name: string } | null> {
  return orm.em.fork().transactional(async (em) => {
    const rows = await em.execute<{ id: string; name: string }[]>(
      'update api_client set active = false where id = ? returning id, name',
      [clientId],
    );
    if (rows.length === 0) return null;
    await audit(em, now, 'API_CLIENT_REVOKED', actor, clientId);
    await announce(em, { kind: 'API_CLIENT', id: clientId });
    return rows[0];
  });
}

async function changeStaff(
  orm: Orm,
  userId: string,
  actor: Actor,
  now: Date,
  action: AuthAuditAction,
  set: string,
): Promise<{ id: string; username: string } | null> {
  return orm.em.fork().transactional(async (em) => {
    const rows = await em.execute<{ id: string; username: string }[]>(
      `update staff_user set ${set} token_version = token_version + 1 where id = ? returning id, username`,
      [userId],
    );
    if (rows.length === 0) return null;
    await audit(em, now, action, actor, userId);
    await announce(em, { kind: 'STAFF', id: userId });
    return rows[0];
  });
}

type Em = Parameters<Parameters<ReturnType<Orm['em']['fork']>['transactional']>[0]>[0];

async function audit(em: Em, now: Date, action: AuthAuditAction, actor: Actor, subject: string) {
  await em.execute('insert into auth_audit (at, action, actor, subject, address) values (?, ?, ?, ?, ?)', [
    now,
    action,
    actor.userId,
    subject,
    actor.address,
  ]);
}

async function announce(em: Em, revocation: Revocation) {
  await em.execute('select pg_notify(?, ?)', [REVOCATION_CHANNEL, revocationPayload(revocation)]);
}
