import { ConfigError } from '../../config/config.js';
import type { StallSettings } from '../../domain/tracking/stall.js';

/** Settings of tracking, SMS and customer sign-in, read from the environment at start-up. */
export interface TrackingSettings {
  /** Kuaidi100 push salt; without it the push endpoint answers 503. */
  kuaidi100Salt: string | null;
  /** Kuaidi100 account key for the poll subscription; without it no subscription is placed. */
  kuaidi100Key: string | null;
  /** @default https://poll.kuaidi100.com/poll */
  kuaidi100PollUrl: string;
  /** Public base URL Kuaidi100 pushes to, e.g. https://ops.example.com. */
  publicBaseUrl: string | null;
  stall: StallSettings;
  stallSweepSeconds: number;
  /** At most this many SMS per phone per Shanghai day. @default 5 */
  smsPerPhonePerDay: number;
  /** `recording` (default; kept in the database, masked in the log) or `http`. */
  smsProvider: 'recording' | 'http';
  smsHttpUrl: string | null;
  smsHttpKey: string | null;
  /** Print login codes to the console with the recording provider, for a local try. @default true without DATABASE_URL */
  smsPrintCodes: boolean;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `expected a number from ${min} to ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error();
  } catch {
    throw new ConfigError(name, `expected an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/$/, '');
}

/** `STALL_HOURS_OVERRIDES=shunfeng=12,zhongtong:44:65=72`: carrier or carrier:origin:destination. */
function overrides(env: Env): Record<string, number> {
  const raw = env.STALL_HOURS_OVERRIDES?.trim();
  const result: Record<string, number> = {};
  if (!raw) return result;
  for (const part of raw.split(',')) {
    const [key, hours] = part.split('=').map((s) => s.trim());
    if (!key || !/^\d+$/.test(hours ?? '') || Number(hours) < 1 || Number(hours) > 720)
      throw new ConfigError(
        'STALL_HOURS_OVERRIDES',
        `expected carrier[:origin:destination]=hours, got "${part}"`,
      );
    result[key] = Number(hours);
  }
  return result;
}

export function parseTrackingSettings(env: Env): TrackingSettings {
  const provider = env.SMS_PROVIDER?.trim() || 'recording';
  if (provider !== 'recording' && provider !== 'http')
    throw new ConfigError('SMS_PROVIDER', `expected recording or http, got "${provider}"`);
  const smsHttpUrl = url(env, 'SMS_HTTP_URL');
  if (provider === 'http' && !smsHttpUrl)
    throw new ConfigError('SMS_HTTP_URL', 'required when SMS_PROVIDER=http');
  const salt = env.KUAIDI100_SALT?.trim() || null;
  if (salt !== null && salt.length < 8)
    throw new ConfigError('KUAIDI100_SALT', 'must be at least 8 characters');
  const print = env.SMS_PRINT_CODES?.trim();
  if (print && print !== 'true' && print !== 'false')
    throw new ConfigError('SMS_PRINT_CODES', `expected true or false, got "${print}"`);
  return {
    kuaidi100Salt: salt,
    kuaidi100Key: env.KUAIDI100_KEY?.trim() || null,
    kuaidi100PollUrl: url(env, 'KUAIDI100_POLL_URL') ?? 'https://poll.kuaidi100.com/poll',
    publicBaseUrl: url(env, 'PUBLIC_BASE_URL'),
    stall: { defaultHours: int(env, 'STALL_HOURS', 24, 1, 720), overrides: overrides(env) },
    stallSweepSeconds: int(env, 'STALL_SWEEP_SECONDS', 60, 1, 86_400),
    smsPerPhonePerDay: int(env, 'SMS_PER_PHONE_PER_DAY', 5, 1, 100),
    smsProvider: provider,
    smsHttpUrl,
    smsHttpKey: env.SMS_HTTP_KEY?.trim() || null,
    smsPrintCodes: print ? print === 'true' : !env.DATABASE_URL,
  };
}
