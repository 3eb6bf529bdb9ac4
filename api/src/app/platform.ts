import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphQLError } from 'graphql';
import { type Config, parseConfig } from '../config/config.js';
import { ANONYMOUS } from '../domain/auth/viewer.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../infra/db/embedded-postgres.js';
import { migrateWithLock } from '../infra/db/migrate-with-lock.js';
import { type Orm, openOrm } from '../infra/db/orm.js';
import { createPool } from '../infra/db/pool.js';
import { buildGraphQLSchema } from '../infra/graphql/build-schema.js';
import { mountGraphQLExplorer } from '../infra/http/graphql-explorer.js';
import { type RunningHttpServer, startHttpServer } from '../infra/http/http-server.js';
import { metricsAccess } from '../infra/http/metrics-access.js';
import { createLogger, type Logger } from '../infra/logging/logger.js';
import { createPlatformMetrics } from '../infra/metrics/metrics.js';
import { PgPubSub } from '../infra/pubsub/pg-pubsub.js';
import { createScheduler, type Scheduler } from '../infra/scheduler/scheduler.js';
import { scheduleBillPickup } from '../jobs/bill-pickup.job.js';
import { scheduleDemoSimulator } from '../jobs/demo-simulator.job.js';
import { scheduleFlowHealthCheck } from '../jobs/flow-health-check.job.js';
import { scheduleOutboxDispatch } from '../jobs/outbox-dispatch.job.js';
import { schedulePendingEventsExpiry } from '../jobs/pending-events-expiry.job.js';
import { scheduleDailyReconciliation } from '../jobs/reconciliation-daily.job.js';
import { scheduleDailyTimeoutReport } from '../jobs/report-daily-timeout.job.js';
import { scheduleFreshnessCheck } from '../jobs/report-freshness-check.job.js';
import { scheduleSlaSweep } from '../jobs/sla-sweep.job.js';
import { scheduleStallSweep } from '../jobs/stall-sweep.job.js';
import { AuthService } from '../modules/auth/auth.service.js';
import { ensureBootstrapAdmin } from '../modules/auth/bootstrap-admin.js';
import { RevocationListener } from '../modules/auth/revocation-listener.js';
import { customerContext } from '../modules/customer/customer-context.js';
import { CustomerKeys } from '../modules/customer/customer-keys.js';
import { mountCustomerRoutes } from '../modules/customer/customer-routes.js';
import { explorerDefaults } from '../modules/demo/demo-explorer.js';
import { demoBanner, seedDemo } from '../modules/demo/demo-seed.js';
import { FlowHealthService } from '../modules/flow-health/flow-health.service.js';
import { loadOpsSnapshot } from '../modules/flow-health/flow-health-metrics.js';
import { flowHealthSettings } from '../modules/flow-health/flow-health-settings.js';
import { rerouteHeldOrders } from '../modules/flow-health/reroute-held.js';
import { orderEventSettings } from '../modules/order-events/order-event-settings.js';
import { mountPaymentNotifications } from '../modules/reconciliation/payment-notify-routes.js';
import { mountReconciliation } from '../modules/reconciliation/reconciliation-routes.js';
import { reconciliationSettings } from '../modules/reconciliation/reconciliation-settings.js';
import { FRESHNESS_WINDOW_MINUTES, FreshnessMonitor } from '../modules/reports/freshness-monitor.js';
import { mountReports } from '../modules/reports/report-routes.js';
import { ensureRoutingDefaults } from '../modules/routing/routing-rules.store.js';
import { startRouting } from '../modules/routing/routing-settings.js';
import { kuaidi100SubscriberFor } from '../modules/shipments/kuaidi100-client.js';
import { useKuaidi100Subscriber } from '../modules/shipments/kuaidi100-subscription.js';
import { mountKuaidi100Webhook } from '../modules/shipments/kuaidi100-webhook.js';
import { mountTmsShipmentWebhook } from '../modules/shipments/tms-shipment-webhook.js';
import { parseTrackingSettings } from '../modules/shipments/tracking-settings.js';
import { ensureSlaDefaults } from '../modules/sla/sla-policy.store.js';
import { useSmsProvider } from '../modules/sms/sms-outbox.js';
import { smsProviderFor } from '../modules/sms/sms-provider-choice.js';
import { mountWebhooks } from '../modules/webhooks/webhook-routes.js';
import { authChecker } from './auth-checker.js';
import type { GraphQLContext } from './context.js';
import { ENTITIES } from './entities.js';
import { outboxHandlers } from './outbox-handlers.js';
import { rethrowUnavailable, unreadyDependencies } from './readiness.js';
import { RESOLVERS } from './resolvers.js';

export type Role = 'api' | 'worker';

export interface RunningPlatform {
  config: Config;
  logger: Logger;
  databaseUrl: string;
  http: RunningHttpServer | null;
  /** Shuts down in order: requests, scheduler, pubsub, pools, embedded database. */
  stop(): Promise<void>;
}

const VERSION = readPackageVersion();

/** Starts the API, the worker or both in this process. Throws `ConfigError` on bad configuration. */
export async function startPlatform(
  roles: ReadonlySet<Role>,
  env: NodeJS.ProcessEnv,
): Promise<RunningPlatform> {
  const config = parseConfig(env, {
    processName: `${[...roles].join('+')}@${hostname()}:${process.pid}`,
    hostname: hostname(),
  });
  const logger = createLogger(config.logLevel, config.processName);
  const tracking = parseTrackingSettings(env);
  useSmsProvider(smsProviderFor(tracking, logger));
  useKuaidi100Subscriber(kuaidi100SubscriberFor(tracking));
  const reconciliation = reconciliationSettings(env);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.reverse())
      await step().catch((e: Error) => logger.error({ err: e.message }, 'shutdown step failed'));
    stops.length = 0;
  };
  try {
    let embedded: EmbeddedDatabase | null = null;
    if (!config.databaseUrl) {
      embedded = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.embeddedPostgresPort,
        database: 'orderops',
        logger,
      });
      stops.push(() => embedded!.stop());
    }
    const databaseUrl = config.databaseUrl ?? embedded!.url;
    const orm: Orm = await openOrm(databaseUrl, ENTITIES, 20, config.databaseLimits);
    stops.push(() => orm.close(true));
    const applied = await migrateWithLock(orm);
    if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
    const pool = createPool({
      url: databaseUrl,
      max: 20,
      limits: config.databaseLimits,
      logger,
      name: 'app',
    });
    stops.push(() => pool.end());
    const flowHealth = new FlowHealthService({
      pool,
      settings: flowHealthSettings(config),
      logger,
      rerouteHeld: rerouteHeldOrders(pool),
    });
    const freshness = new FreshnessMonitor({
      pool,
      settings: {
        windowMinutes: FRESHNESS_WINDOW_MINUTES,
        minSamples: config.freshnessMinSamples,
        opsWebhookUrl: config.opsWecomWebhookUrl,
      },
      logger,
    });
    orderEventSettings.pendingTtlMs = config.pendingEventTtlHours * 3_600_000;
    startRouting({
      allowLocalWebhooks: config.wecomAllowLocal,
      minParseConfidence: config.routingMinParseConfidence,
      divisionFile: config.divisionDataFile,
      logger,
    });
    if (await ensureRoutingDefaults(pool)) logger.info('default processing groups and routing rules seeded');
    if (await ensureSlaDefaults(pool)) logger.info('default SLA policies seeded');

    const scheduler: Scheduler = createScheduler({
      databaseUrl,
      mongodbUrl: config.mongodbUrl,
      workerName: config.workerName,
      processEveryMs: config.schedulerPollMs,
      databaseLimits: config.databaseLimits,
      logger,
    });
    await scheduler.agenda.ready;
    stops.push(() => scheduler.stop());
    if (roles.has('worker')) {
      const outbox = await scheduleOutboxDispatch(scheduler.agenda, {
        pool,
        databaseUrl,
        handlers: outboxHandlers(config, logger, pool),
        workerName: config.workerName,
        logger,
        sweepEveryMs: config.outboxSweepMs,
      });
      stops.push(() => outbox.stop());
      await scheduleFlowHealthCheck(scheduler.agenda, {
        service: flowHealth,
        everySeconds: config.flowHealthCheckSeconds,
        logger,
      });
      await scheduleSlaSweep(scheduler.agenda, {
        pool,
        everySeconds: config.slaSweepSeconds,
        batchSize: config.slaSweepBatch,
        opsWebhookUrl: config.opsWecomWebhookUrl,
        recentLateMinutes: config.slaRecentLateMinutes,
        logger,
      });
      await schedulePendingEventsExpiry(scheduler.agenda, { pool, logger });
      await scheduleFreshnessCheck(scheduler.agenda, { monitor: freshness });
      await scheduleDailyTimeoutReport(scheduler.agenda, { pool, logger });
      await scheduleStallSweep(scheduler.agenda, { pool, settings: tracking, logger });
      await scheduleDailyReconciliation(scheduler.agenda, { pool, settings: reconciliation, logger });
      await scheduleBillPickup(scheduler.agenda, { pool, settings: reconciliation, logger });
      await scheduleDemoSimulator(scheduler.agenda, { pool, logger, enabled: config.demoSimulator });
      await scheduler.start();
    }

    let http: RunningHttpServer | null = null;
    if (roles.has('api')) {
      const pubsub = new PgPubSub(databaseUrl, logger);
      await pubsub.start();
      stops.push(() => pubsub.stop());
      const auth = await AuthService.open(orm, config.authSecret);
      const revocations = new RevocationListener(databaseUrl, logger, (revocation) =>
        auth.applyRevocation(revocation),
      );
      await revocations.start();
      stops.push(() => revocations.stop());
      const admin = await ensureBootstrapAdmin(orm, auth, config.adminPassword);
      if (admin.created && admin.generatedPassword)
        process.stdout.write(
          `\n  Created the first staff account: admin / ${admin.generatedPassword}\n  (shown once; set ADMIN_PASSWORD to choose it)\n`,
        );
      const customerKeys = await CustomerKeys.open(pool);
      const demo = config.demoSeed ? await seedDemo({ pool, orm, auth, logger, now: new Date() }) : null;
      const schema = await buildGraphQLSchema(RESOLVERS, pubsub.local, authChecker);
      const platform = { version: VERSION, schedulerBackend: scheduler.backend };
      const metrics = createPlatformMetrics({
        snapshot: () => loadOpsSnapshot(flowHealth, pool, new Date()),
        logger,
      });
      http = await startHttpServer<GraphQLContext>({
        host: config.host,
        port: config.port,
        schema,
        context: async (credentials) => {
          const now = new Date();
          const customer = await customerContext(customerKeys, credentials.authorization, now);
          if (customer) {
            if (!customer.ok)
              throw new GraphQLError(customer.reason, {
                extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
              });
            return { orm, pool, logger, platform, auth, viewer: ANONYMOUS, customer: customer.session, now };
          }
          const authenticated = await auth.authenticate(credentials, now).catch(rethrowUnavailable);
          if (!authenticated.ok)
            throw new GraphQLError(authenticated.reason, {
              extensions: { code: authenticated.code, http: { status: 401 } },
            });
          return {
            orm,
            pool,
            logger,
            platform,
            auth,
            viewer: authenticated.viewer,
            now,
            clientAddress: credentials.address ?? null,
            flowHealth,
            freshness,
            reconciliation,
          };
        },
        acceptSubscriber: (context) => context.viewer.kind !== 'ANONYMOUS' || Boolean(context.customer),
        sessionEndsAt: (context) =>
          context.viewer.kind === 'STAFF' ? (context.viewer.expiresAt ?? null) : null,
        onRevocation: (recheck) => auth.onRevocation(recheck),
        unready: () => unreadyDependencies({ pool, scheduler, pubsub }),
        queryLimits: { maxDepth: config.graphqlMaxDepth, maxCost: config.graphqlMaxCost },
        edgeLimits: config.edgeLimits,
        mayIntrospect: (context) => context.viewer.kind !== 'ANONYMOUS',
        debug: config.graphqlDebug,
        routes: (app) => {
          mountGraphQLExplorer(app, { defaults: explorerDefaults({ pool, auth }) });
          mountKuaidi100Webhook(app, { pool, salt: tracking.kuaidi100Salt, stall: tracking.stall, logger });
          mountTmsShipmentWebhook(app, {
            pool,
            secret: config.webhookSecrets.TMS ?? null,
            stall: tracking.stall,
            logger,
          });
          mountCustomerRoutes(app, {
            pool,
            keys: customerKeys,
            smsPerPhonePerDay: tracking.smsPerPhonePerDay,
            logger,
          });
          mountWebhooks(app, {
            pool,
            secrets: config.webhookSecrets,
            logger,
            maxBodyBytes: config.edgeLimits.webhookBodyBytes,
          });
          mountReports(app, { pool, auth, logger });
          app.use('/metrics', metricsAccess(config.metricsToken));
          mountReconciliation(app, { pool, auth, settings: reconciliation, logger });
          mountPaymentNotifications(app, { pool, settings: reconciliation.notify, logger });
          metrics.mount(app);
        },
        staticDir: config.trackingSiteDir,
        logger,
      });
      if (demo?.seeded) process.stdout.write(demoBanner(demo, http.url));
      stops.push(() => http!.close());
    }
    return { config, logger, databaseUrl, http, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The version in package.json, found upwards from this file (sources under api/src, builds under dist). */
function readPackageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate))
      return (JSON.parse(readFileSync(candidate, 'utf8')) as { version: string }).version;
    dir = dirname(dir);
  }
  return 'unknown';
}
