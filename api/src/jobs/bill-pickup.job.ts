import type { Agenda } from 'agenda';
import type pg from 'pg';
import type { Logger } from '../infra/logging/logger.js';
import { billFormats } from '../modules/ledger/bill-formats.js';
import { pickUpBills } from '../modules/ledger/bill-pickup.js';
import type { ReconciliationSettings } from '../modules/reconciliation/reconciliation-settings.js';

export const BILL_PICKUP_JOB = 'ledger.bill-pickup';

/** Every 5 minutes, when `RECONCILIATION_BILL_DIR` is set: imports the bills dropped there. */
export async function scheduleBillPickup(
  agenda: Agenda,
  deps: { pool: pg.Pool; settings: ReconciliationSettings; logger: Logger },
): Promise<void> {
  const dir = deps.settings.billDir;
  if (!dir) return;
  const formats = billFormats(deps.settings.unionPayColumns);
  agenda.define(
    BILL_PICKUP_JOB,
    async () => {
      for (const result of await pickUpBills(deps.pool, dir, formats, new Date()))
        deps.logger.info(
          { file: result.file, outcome: result.outcome, detail: result.detail },
          'bill picked up',
        );
    },
    { concurrency: 1, lockLimit: 1, lockLifetime: 30 * 60_000 },
  );
  await agenda.every('5 minutes', BILL_PICKUP_JOB);
}
