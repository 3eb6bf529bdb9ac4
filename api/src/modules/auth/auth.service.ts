import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword, verifyPassword } from '../../domain/auth/password.js';
import { issueStaffToken, verifyStaffToken } from '../../domain/auth/staff-token.js';
import { ANONYMOUS, type PartnerScope, type StaffRole, type Viewer } from '../../domain/auth/viewer.js';
import type { Channel } from '../../domain/order/order-types.js';
import type { Orm } from '../../infra/db/orm.js';
import { ApiClient } from './api-client.entity.js';
import { PlatformSecret } from './platform-secret.entity.js';
import type { Revocation } from './revocation-listener.js';
import { StaffUser } from './staff-user.entity.js';

export type Authentication =
  | { ok: true; viewer: Viewer }
  | { ok: false; code: 'UNAUTHENTICATED'; reason: string };

const API_KEY_PREFIX = 'ook_';
/**
 * How long a key or a user's state is trusted from memory. Revocations are announced to every
 * process (NOTIFY) and drop the entry at once; the expiry only bounds what a missed announcement
 * could cost.
 */
const API_KEY_CACHE_MS = 30_000;
const USER_STATE_CACHE_MS = 30_000;

interface UserState {
  active: boolean;
  tokenVersion: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Sign-in, tokens and API keys. Credentials are checked here, once per request, at the edge. */
export class AuthService {
  private readonly keyCache = new Map<string, { viewer: Viewer | null; until: number }>();
  private readonly userStates = new Map<string, { state: UserState | null; until: number }>();
  private readonly revocationListeners = new Set<(revocation: Revocation) => void>();

  private constructor(
    private readonly orm: Orm,
    private readonly secret: string,
  ) {}

  /** Uses `configuredSecret`, or the one stored in the database (created on first use). */
  static async open(orm: Orm, configuredSecret: string | null): Promise<AuthService> {
    if (configuredSecret) return new AuthService(orm, configuredSecret);
    const em = orm.em.fork();
    await em
      .getConnection()
      .execute('insert into platform_secret (name, value) values (?, ?) on conflict (name) do nothing', [
        'staff-token-key',
        randomBytes(48).toString('base64url'),
      ]);
    const stored = await em.findOneOrFail(PlatformSecret, { name: 'staff-token-key' });
    return new AuthService(orm, stored.value);
  }

  /**
   * Reads `Authorization: Bearer <staff token>` or `Authorization: ApiKey <key>` (or `x-api-key`).
   * No credentials at all is the anonymous viewer; wrong credentials are an error, never anonymous.
   */
  async authenticate(
    headers: { authorization?: string | null; apiKey?: string | null },
    now: Date,
  ): Promise<Authentication> {
    const authorization = headers.authorization?.trim() ?? '';
    const [scheme, value] = authorization.split(/\s+/, 2);
    if (scheme?.toLowerCase() === 'bearer' && value) {
      const checked = verifyStaffToken(this.secret, value, now);
      if (!checked.ok)
        return {
          ok: false,
          code: 'UNAUTHENTICATED',
          reason: `staff token ${checked.reason.toLowerCase().replace('_', ' ')}`,
        };
      const { userId, username, roles, ver, exp } = checked.claims;
      // A user no longer stored is left to the signature (users are deactivated, never deleted).
      const state = await this.userState(userId, now);
      if (state && (!state.active || state.tokenVersion !== ver))
        return { ok: false, code: 'UNAUTHENTICATED', reason: 'staff token revoked' };
      return {
        ok: true,
        viewer: { kind: 'STAFF', userId, username, roles, expiresAt: new Date(exp * 1000) },
      };
    }
    const key = scheme?.toLowerCase() === 'apikey' && value ? value : headers.apiKey?.trim();
    if (key) {
      const viewer = await this.viewerForKey(key, now);
      return viewer
        ? { ok: true, viewer }
        : { ok: false, code: 'UNAUTHENTICATED', reason: 'unknown or revoked API key' };
    }
    if (authorization)
      return {
        ok: false,
        code: 'UNAUTHENTICATED',
        reason: 'unsupported Authorization scheme (use Bearer or ApiKey)',
      };
    return { ok: true, viewer: ANONYMOUS };
  }

  async login(
    username: string,
    password: string,
    now: Date,
  ): Promise<{ token: string; user: StaffUser } | null> {
    const user = await this.orm.em.fork().findOne(StaffUser, { username, active: true });
    // Same work whether or not the user exists, so timing does not reveal usernames.
    const ok = await verifyPassword(
      password,
      user?.passwordHash ?? 'scrypt$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    );
    if (!user || !ok) return null;
    return {
      token: issueStaffToken(
        this.secret,
        { userId: user.id, username: user.username, roles: user.roles, tokenVersion: user.tokenVersion },
        now,
      ),
      user,
    };
  }

  async createStaffUser(
    em: EntityManager,
    input: {
      username: string;
      displayName: string;
      password: string;
      roles: StaffRole[];
      mobile?: string | null;
    },
  ): Promise<StaffUser> {
    const user = em.create(StaffUser, {
      username: input.username,
      displayName: input.displayName,
      mobile: input.mobile ?? null,
      passwordHash: await hashPassword(input.password),
      roles: input.roles,
      active: true,
      tokenVersion: 0,
      createdAt: new Date(),
    });
    await em.persistAndFlush(user);
    return user;
  }

  /** Creates a partner key; the key is returned once and only its hash is kept. */
  async createApiClient(
    em: EntityManager,
    input: { name: string; channels: Channel[]; scopes: PartnerScope[]; createdBy: string | null },
  ): Promise<{ client: ApiClient; key: string }> {
    const key = `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
    const client = em.create(ApiClient, {
      name: input.name,
      keyPrefix: key.slice(0, API_KEY_PREFIX.length + 6),
      keyHash: sha256(key),
      channels: input.channels,
      scopes: input.scopes,
      active: true,
      createdBy: input.createdBy,
      createdAt: new Date(),
    });
    await em.persistAndFlush(client);
    return { client, key };
  }

  forgetCachedKeys(): void {
    this.keyCache.clear();
    this.userStates.clear();
  }

  /**
   * Forgets what a revocation makes stale, then tells the listeners (open subscriptions check
   * their credentials again). Called for every announcement, this process's own included.
   */
  applyRevocation(revocation: Revocation): void {
    if (revocation.kind === 'STAFF') this.userStates.delete(revocation.id);
    else if (revocation.kind === 'API_CLIENT') {
      for (const [hash, entry] of this.keyCache)
        if (entry.viewer?.kind === 'PARTNER' && entry.viewer.clientId === revocation.id)
          this.keyCache.delete(hash);
    } else this.forgetCachedKeys();
    for (const listener of this.revocationListeners) listener(revocation);
  }

  /** Calls `listener` after each revocation has been applied; returns the unsubscribe. */
  onRevocation(listener: (revocation: Revocation) => void): () => void {
    this.revocationListeners.add(listener);
    return () => this.revocationListeners.delete(listener);
  }

  private async userState(userId: string, now: Date): Promise<UserState | null> {
    const cached = this.userStates.get(userId);
    if (cached && cached.until > now.getTime()) return cached.state;
    const user = await this.orm.em
      .fork()
      .findOne(StaffUser, { id: userId }, { fields: ['active', 'tokenVersion'] });
    const state = user ? { active: user.active, tokenVersion: user.tokenVersion } : null;
    this.userStates.set(userId, { state, until: now.getTime() + USER_STATE_CACHE_MS });
    return state;
  }

  private async viewerForKey(key: string, now: Date): Promise<Viewer | null> {
    const hash = sha256(key);
    const cached = this.keyCache.get(hash);
    if (cached && cached.until > now.getTime()) return cached.viewer;
    const client = await this.orm.em.fork().findOne(ApiClient, { keyHash: hash, active: true });
    const viewer: Viewer | null = client
      ? {
          kind: 'PARTNER',
          clientId: client.id,
          name: client.name,
          channels: client.channels,
          scopes: client.scopes,
        }
      : null;
    this.keyCache.set(hash, { viewer, until: now.getTime() + API_KEY_CACHE_MS });
    return viewer;
  }
}
