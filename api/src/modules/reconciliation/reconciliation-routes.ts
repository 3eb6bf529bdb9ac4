import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Express, Request, Response } from 'express';
import type pg from 'pg';
import { decideAccess, type StaffRole } from '../../domain/auth/viewer.js';
import { BILL_FORMATS, type BillFormatId } from '../../domain/bills/bill-format.js';
import { isBusinessDate } from '../../domain/sla/business-time.js';
import type { Logger } from '../../infra/logging/logger.js';
import type { AuthService } from '../auth/auth.service.js';
import { billFormats } from '../ledger/bill-formats.js';
import { importBill } from '../ledger/ledger.store.js';
import { writeErpExport } from './erp-export.js';
import { RECONCILIATION_READERS, RECONCILIATION_WRITERS } from './reconciliation-access.js';
import type { ReconciliationSettings } from './reconciliation-settings.js';

export interface ReconciliationRouteDeps {
  pool: pg.Pool;
  auth: Pick<AuthService, 'authenticate'>;
  settings: ReconciliationSettings;
  logger: Logger;
  /** Largest bill accepted over HTTP, in bytes. @default 1 GiB */
  maxBillBytes?: number;
}

const failure = (code: string, message: string, extra: Record<string, unknown> = {}) => ({
  error: { code, message, ...extra },
});
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

class TooLarge extends Error {}

/** Answers 401/403 itself and returns the staff user's name when the caller may. */
async function staffAllowed(
  deps: ReconciliationRouteDeps,
  req: Request,
  res: Response,
  roles: readonly StaffRole[],
) {
  const authenticated = await deps.auth.authenticate(
    { authorization: req.headers.authorization, apiKey: req.header('x-api-key') ?? undefined },
    new Date(),
  );
  if (!authenticated.ok) {
    res.status(401).json(failure(authenticated.code, authenticated.reason));
    return null;
  }
  const viewer = authenticated.viewer;
  if (viewer.kind !== 'STAFF') {
    res.status(403).json(failure('FORBIDDEN', 'reconciliation is for staff'));
    return null;
  }
  const access = decideAccess(viewer, roles);
  if (!access.ok) {
    res.status(403).json(failure(access.code, access.reason));
    return null;
  }
  return viewer.username;
}

/**
 * `POST /reconciliation/bills?format=WECHAT_TRADE&channel=WEBSHOP&name=<file name>`: the bill file
 * as the body (any content type, zipped or not), streamed to a temporary file — never held in
 * memory — then imported. Answers `{ import: { lines, entries, inserted, … }, alreadyImported }`,
 * or 422 `{ error: { code: 'BILL_REJECTED', line, field, message } }` with nothing imported.
 *
 * `GET /reconciliation/export.csv?date=YYYY-MM-DD[&shop=TAOBAO]`: the ERP export, streamed.
 */
export function mountReconciliation(app: Express, deps: ReconciliationRouteDeps): void {
  const formats = billFormats(deps.settings.unionPayColumns);
  const maxBytes = deps.maxBillBytes ?? 1024 ** 3;

  app.post('/reconciliation/bills', async (req, res) => {
    let dir: string | null = null;
    try {
      const user = await staffAllowed(deps, req, res, RECONCILIATION_WRITERS);
      if (!user) return req.resume();
      const format = formats(text(req.query.format) as BillFormatId);
      const channel = text(req.query.channel).toUpperCase();
      if (!format || !/^[A-Z_]{2,20}$/.test(channel)) {
        req.resume();
        res
          .status(400)
          .json(
            failure(
              'BAD_USER_INPUT',
              format ? 'channel: required, e.g. WEBSHOP' : `format: one of ${BILL_FORMATS.join(', ')}`,
            ),
          );
        return;
      }
      dir = await mkdtemp(join(tmpdir(), 'bill-'));
      const path = join(dir, 'upload');
      let bytes = 0;
      const limit = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          done(bytes > maxBytes ? new TooLarge() : null, chunk);
        },
      });
      await pipeline(req, limit, createWriteStream(path));
      const answer = await importBill(deps.pool, {
        path,
        fileName: text(req.query.name) || 'upload',
        format,
        channel,
        importedBy: user,
        now: new Date(),
      });
      if (!answer.ok) {
        const { line, field, reason } = answer.defect;
        res.status(422).json(failure('BILL_REJECTED', reason, { line, field }));
        return;
      }
      res.json({ import: answer.summary, alreadyImported: answer.alreadyImported });
    } catch (error) {
      if (error instanceof TooLarge) {
        // The rest of the body is not read: the connection cannot carry another request.
        res.set('connection', 'close');
        res.status(413).json(failure('TOO_LARGE', `bills over ${maxBytes} bytes are refused`));
        return;
      }
      deps.logger.error({ err: (error as Error).message }, 'bill upload failed');
      if (!res.headersSent)
        res.status(500).json(failure('INTERNAL', 'the bill could not be imported; nothing was written'));
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  });

  app.get('/reconciliation/export.csv', async (req, res) => {
    try {
      if (!(await staffAllowed(deps, req, res, RECONCILIATION_READERS))) return;
      const date = text(req.query.date);
      const shop = text(req.query.shop).toUpperCase() || null;
      if (!isBusinessDate(date)) {
        res
          .status(400)
          .json(failure('BAD_USER_INPUT', 'date: required, as YYYY-MM-DD (Shanghai business day)'));
        return;
      }
      res.status(200).set({
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="reconciliation_${date}${shop ? `_${shop}` : ''}.csv"`,
        'cache-control': 'no-store',
      });
      res.write('\uFEFF'); // Excel opens UTF-8 CSV as UTF-8 only with a BOM
      await writeErpExport(deps.pool, date, shop, (line) =>
        res.write(line)
          ? Promise.resolve()
          : new Promise<void>((resolve) => res.once('drain', () => resolve())),
      );
      res.end();
    } catch (error) {
      deps.logger.error({ err: (error as Error).message }, 'reconciliation export failed');
      if (!res.headersSent) res.status(500).json(failure('INTERNAL', 'the export failed'));
      else res.destroy();
    }
  });
}
