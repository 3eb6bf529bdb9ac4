import {
  ADDRESS_THROTTLE,
  afterFailure,
  blockedForMs,
  NO_FAILURES,
  type ThrottlePolicy,
  type ThrottleState,
  USER_THROTTLE,
} from '../../domain/auth/login-throttle.js';
import { isRepresentable } from '../../domain/edge/edge-text.js';
import type { FieldError } from '../../domain/shared/result.js';
import type { Orm } from '../../infra/db/orm.js';
import type { AuthService } from './auth.service.js';
import type { StaffUser } from './staff-user.entity.js';

/** Longest username and password looked at; longer ones are refused before any hashing or lookup. */
export const MAX_USERNAME_CHARS = 64;
export const MAX_PASSWORD_CHARS = 256;

export type SignIn = { ok: true; token: string; user: StaffUser } | { ok: false; error: FieldError };

/**
 * A sign-in over the network: bounded input, back-off per username and per address (shared by
 * every process through `login_throttle`), and an audit row for every attempt. While a subject
 * is blocked the password is not even checked, so guessing on cannot succeed.
 */
export async function signIn(
  orm: Orm,
  auth: AuthService,
  input: { username: string; password: string; address: string | null },
  now: Date,
): Promise<SignIn> {
  if (input.username.length > MAX_USERNAME_CHARS)
    return refuse('username', 'TOO_LONG', `at most ${MAX_USERNAME_CHARS} characters`);
  if (input.password.length > MAX_PASSWORD_CHARS)
    return refuse('password', 'TOO_LONG', `at most ${MAX_PASSWORD_CHARS} characters`);
  if (!isRepresentable(input.username))
    return refuse('username', 'UNREPRESENTABLE_TEXT', 'contains a NUL character or a lone surrogate');
  const username = input.username.trim();
  const subjects: Array<[string, ThrottlePolicy]> = [[`user:${username.toLowerCase()}`, USER_THROTTLE]];
  if (input.address) subjects.push([`address:${input.address}`, ADDRESS_THROTTLE]);

  const states = await loadStates(
    orm,
    subjects.map(([subject]) => subject),
  );
  const waitMs = Math.max(
    ...subjects.map(([subject]) => blockedForMs(states.get(subject) ?? NO_FAILURES, now)),
  );
  if (waitMs > 0) {
    await audit(orm, now, 'LOGIN_BLOCKED', username, input.address);
    return refuse(
      'username',
      'TOO_MANY_ATTEMPTS',
      `too many failed sign-ins; try again in ${Math.ceil(waitMs / 1000)} s`,
    );
  }
  const result = await auth.login(username, input.password, now);
  if (!result) {
    await recordFailure(orm, subjects, now);
    await audit(orm, now, 'LOGIN_FAILED', username, input.address);
    return refuse('password', 'INVALID_CREDENTIALS', 'unknown username or wrong password');
  }
  await orm.em.fork().execute('delete from login_throttle where subject = ?', [subjects[0][0]]);
  await audit(orm, now, 'LOGIN_SUCCEEDED', username, input.address);
  return { ok: true, ...result };
}

const refuse = (field: string, code: string, message: string): SignIn => ({
  ok: false,
  error: { field, code, message },
});

interface ThrottleRow {
  subject: string;
  failures: number;
  last_failure_at: Date | null;
  blocked_until: Date | null;
}

async function loadStates(orm: Orm, subjects: string[]): Promise<Map<string, ThrottleState>> {
  const rows = await orm.em
    .fork()
    .execute<ThrottleRow[]>('select * from login_throttle where subject in (?)', [subjects]);
  return new Map(rows.map((r) => [r.subject, toState(r)]));
}

const toState = (r: ThrottleRow): ThrottleState => ({
  failures: r.failures,
  lastFailureAt: r.last_failure_at ? new Date(r.last_failure_at) : null,
  blockedUntil: r.blocked_until ? new Date(r.blocked_until) : null,
});

/** One more failure for each subject, read and written under a row lock so racing attempts all count. */
async function recordFailure(orm: Orm, subjects: Array<[string, ThrottlePolicy]>, now: Date): Promise<void> {
  await orm.em.fork().transactional(async (em) => {
    for (const [subject, policy] of subjects) {
      await em.execute(
        'insert into login_throttle (subject, failures) values (?, 0) on conflict (subject) do nothing',
        [subject],
      );
      const [row] = await em.execute<ThrottleRow[]>(
        'select * from login_throttle where subject = ? for update',
        [subject],
      );
      const next = afterFailure(toState(row), policy, now);
      await em.execute(
        'update login_throttle set failures = ?, last_failure_at = ?, blocked_until = ? where subject = ?',
        [next.failures, next.lastFailureAt, next.blockedUntil, subject],
      );
    }
  });
}

async function audit(orm: Orm, now: Date, action: string, username: string, address: string | null) {
  await orm.em
    .fork()
    .execute('insert into auth_audit (at, action, actor, subject, address) values (?, ?, null, ?, ?)', [
      now,
      action,
      username,
      address,
    ]);
}
