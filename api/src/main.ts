import 'reflect-metadata';
import { type Role, startPlatform } from './app/platform.js';
import { ConfigError } from './config/config.js';

/**
 * Entry point: `start` runs the API and the worker in one process, `api` and `worker` run one
 * half each against the same database.
 */
const COMMANDS: Record<string, Role[]> = { start: ['api', 'worker'], api: ['api'], worker: ['worker'] };
const command = process.argv[2] ?? 'start';
const roles = COMMANDS[command];
if (!roles) {
  process.stderr.write(
    `unknown command "${command}"; expected one of: ${Object.keys(COMMANDS).join(', ')}\n`,
  );
  process.exit(2);
}

/** What `npm start` prints once ready: where everything is, and whether the demo is on. */
function banner(url: string, config: { demoSeed: boolean; demoSimulator: boolean }): string {
  const demo =
    config.demoSeed || config.demoSimulator
      ? `seeding ${config.demoSeed ? 'on' : 'off'}, simulator ${config.demoSimulator ? 'on' : 'off'}` +
        ' (seeds only a database without orders; DEMO_SEED=false DEMO_SIMULATOR=false turn it off)'
      : 'off';
  return [
    '',
    `  GraphQL         ${url}/graphql  (open it in a browser for the explorer)`,
    `  Subscriptions   ${url.replace('http', 'ws')}/graphql`,
    `  Tracking site   ${url}/`,
    `  Health          ${url}/healthz  ${url}/readyz`,
    `  Demo            ${demo}`,
    '',
    '',
  ].join('\n');
}

try {
  const platform = await startPlatform(new Set(roles), process.env);
  const { logger, http } = platform;
  if (http) {
    logger.info(
      { graphql: `${http.url}/graphql`, site: `${http.url}/`, readyz: `${http.url}/readyz` },
      'platform ready',
    );
    process.stdout.write(banner(http.url, platform.config));
  } else {
    logger.info({ worker: platform.config.workerName }, 'worker ready');
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 30 s; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    platform.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: Error) => {
        logger.error({ err: error.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`configuration error: ${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
