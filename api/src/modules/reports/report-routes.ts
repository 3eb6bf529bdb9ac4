import type { Express, NextFunction, Request, Response } from 'express';
import type pg from 'pg';
import { decideAccess } from '../../domain/auth/viewer.js';
import type { Logger } from '../../infra/logging/logger.js';
import type { AuthService } from '../auth/auth.service.js';
import { REPORT_READERS } from './report-access.js';
import { parseReportPeriod } from './report-period.js';
import { loadTimeoutReport } from './timeout-report.js';
import { timeoutReportCsv } from './timeout-report-csv.js';

export interface ReportRouteDeps {
  pool: pg.Pool;
  auth: Pick<AuthService, 'authenticate'>;
  logger: Logger;
  now?: () => Date;
}

const failure = (code: string, message: string) => ({ error: { code, message } });

/**
 * `GET /reports/timeout.csv?from=YYYY-MM-DD&to=YYYY-MM-DD[&groupIds=a,b]`: the timeout report for
 * Excel, for staff with `Authorization: Bearer <token>` (OPS, SUPERVISOR, ADMIN). Errors are JSON
 * `{ error: { code, message } }`: 400 BAD_USER_INPUT, 401 UNAUTHENTICATED, 403 FORBIDDEN.
 */
export function mountReports(app: Express, deps: ReportRouteDeps): void {
  app.get('/reports/timeout.csv', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const now = (deps.now ?? (() => new Date()))();
      const authenticated = await deps.auth.authenticate(
        { authorization: req.headers.authorization, apiKey: req.header('x-api-key') ?? undefined },
        now,
      );
      if (!authenticated.ok) {
        res.status(401).json(failure(authenticated.code, authenticated.reason));
        return;
      }
      const viewer = authenticated.viewer;
      if (viewer.kind === 'PARTNER') {
        res.status(403).json(failure('FORBIDDEN', 'reports are for staff; sign in with a staff account'));
        return;
      }
      const access = decideAccess(viewer, REPORT_READERS);
      if (!access.ok) {
        res.status(access.code === 'UNAUTHENTICATED' ? 401 : 403).json(failure(access.code, access.reason));
        return;
      }
      const from = queryText(req.query.from);
      const to = queryText(req.query.to);
      if (from === null || to === null) {
        res
          .status(400)
          .json(
            failure(
              'BAD_USER_INPUT',
              `${from === null ? 'from' : 'to'}: required, as YYYY-MM-DD (Shanghai business day)`,
            ),
          );
        return;
      }
      const parsed = parseReportPeriod(from, to);
      if (!parsed.ok) {
        res.status(400).json(failure('BAD_USER_INPUT', parsed.message));
        return;
      }
      const groups = queryText(req.query.groupIds);
      const groupIds = groups
        ? groups
            .split(',')
            .map((g) => g.trim())
            .filter((g) => g !== '')
        : null;
      const report = await loadTimeoutReport(deps.pool, parsed.period, now, { groupIds });
      const name = `timeout-report_${fileDate(from)}_${fileDate(to)}.csv`;
      res
        .status(200)
        .set({
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${name}"`,
          'cache-control': 'no-store',
        })
        .send(timeoutReportCsv(report.rows));
    } catch (error) {
      next(error);
    }
  });
  app.use('/reports', (error: Error, _req: Request, res: Response, _next: NextFunction) => {
    deps.logger.error({ err: error.message }, 'report export failed');
    res.status(500).json(failure('INTERNAL', 'the report could not be produced; retry later'));
  });
}

function queryText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** A safe piece of a file name from the argument (a date, or an instant reduced to its digits). */
const fileDate = (text: string) => text.replace(/[^0-9A-Za-z-]/g, '').slice(0, 20);
