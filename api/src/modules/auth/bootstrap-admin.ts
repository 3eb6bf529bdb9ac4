import { randomBytes } from 'node:crypto';
import type { Orm } from '../../infra/db/orm.js';
import type { AuthService } from './auth.service.js';
import { StaffUser } from './staff-user.entity.js';

/**
 * On a database with no staff at all, creates the `admin` account so someone can sign in. Its
 * password is ADMIN_PASSWORD, or a generated one that is returned (printed once by the caller).
 */
export async function ensureBootstrapAdmin(
  orm: Orm,
  auth: AuthService,
  configuredPassword: string | null,
): Promise<{ created: false } | { created: true; generatedPassword: string | null }> {
  const em = orm.em.fork();
  if ((await em.count(StaffUser, {})) > 0) return { created: false };
  const password = configuredPassword ?? randomBytes(12).toString('base64url');
  await auth.createStaffUser(em, {
    username: 'admin',
    displayName: '系统管理员',
    password,
    roles: ['ADMIN'],
  });
  return { created: true, generatedPassword: configuredPassword ? null : password };
}
