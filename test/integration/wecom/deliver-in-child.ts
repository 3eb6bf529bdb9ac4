/**
 * Runs one outbox dispatch with the WeCom handler in its own process, so a test can kill it while
 * the robot has not answered yet. Usage: node --import tsx deliver-in-child.ts <database url>
 */
import pg from 'pg';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { dispatchOutboxBatch } from '../../../api/src/infra/outbox/outbox-dispatcher.js';
import { createWecomMessageHandler } from '../../../api/src/modules/wecom/wecom-outbox.js';
import { HttpWecomSender } from '../../../api/src/modules/wecom/wecom-sender.js';

const pool = new pg.Pool({ connectionString: process.argv[2], max: 1 });
// The parent kills this process or drops its database; a lost connection must not be uncaught.
pool.on('error', () => undefined);
// The robot never answers in time: the test kills this process while the request is out.
const handler = createWecomMessageHandler(new HttpWecomSender({ timeoutMs: 60_000 }), { timeoutMs: 3000 });
process.stdout.write('dispatching\n');
await dispatchOutboxBatch({
  pool,
  handlers: new Map([[handler.topic, handler]]),
  deliveredBy: 'child',
  logger: createLogger('silent', 'child'),
});
process.stdout.write('committed\n');
await pool.end();
