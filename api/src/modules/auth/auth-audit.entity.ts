import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

export type AuthAuditAction =
  | 'LOGIN_SUCCEEDED'
  | 'LOGIN_FAILED'
  | 'LOGIN_BLOCKED'
  | 'STAFF_DEACTIVATED'
  | 'STAFF_SESSIONS_REVOKED'
  | 'API_CLIENT_REVOKED';

/** One security-relevant event: a sign-in attempt, a deactivation, a revocation. Append-only. */
@Entity({ tableName: 'auth_audit' })
@Index({ name: 'auth_audit_at_index', properties: ['at'] })
export class AuthAudit {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'timestamptz' })
  at!: Date;

  @Property({ type: 'text' })
  action!: AuthAuditAction;

  /** The staff user who acted (for deactivations and revocations). */
  @Property({ type: 'text', nullable: true })
  actor!: string | null;

  /** What the action was about: a username, a staff user id, an API client id. */
  @Property({ type: 'text' })
  subject!: string;

  /** The caller's network address, when the action came over the network. */
  @Property({ type: 'text', nullable: true })
  address!: string | null;
}
