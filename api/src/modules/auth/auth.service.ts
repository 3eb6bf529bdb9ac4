import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword, verifyPassword } from '../../domain/auth/password.js';
import { issueStaffToken, verifyStaffToken } from '../../domain/auth/staff-token.js';
import { ANONYMOUS, type PartnerScope, type StaffRole, type Viewer } from '../../domain/auth/viewer.js';
import type { Channel } from '../../domain/order/order-types.js';
import type { Orm } from '../../infra/db/orm.js';
import { ApiClient } from './api-client.entity.js';
import { PlatformSecret } from './platform-secret.entity.js';
import { StaffUser } from './staff-user.entity.js';

export type Authentication =
  | { ok: true; viewer: Viewer }
  | { ok: false; code: 'UNAUTHENTICATED'; reason: string };

const API_KEY_PREFIX = 'ook_';
const API_KEY_CACHE_MS = 30_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Sign-in, tokens and API keys. Credentials are checked here, once per request, at the edge. */
export class AuthService {
  private readonly keyCache = new Map<string, { viewer: Viewer | null; until: number }>();

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
      const { userId, username, roles } = checked.claims;
      return { ok: true, viewer: { kind: 'STAFF', userId, username, roles } };
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
        { userId: user.id, username: user.username, roles: user.roles },
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
