import express, {
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import type pg from 'pg';
import { verifyWebhook } from '../../domain/intake/webhook-signature.js';
import { CHANNELS, type Channel, type EventSource } from '../../domain/order/order-types.js';
import type { FieldError } from '../../domain/shared/result.js';
import type { Logger } from '../../infra/logging/logger.js';
import { applyFlatOrderEvents, MAX_EVENTS_PER_CALL } from '../order-events/order-event.flat.js';
import { MAX_ORDERS_PER_CALL, submitChannelOrders } from '../orders/order-intake.js';
import { readWebhookBody } from './webhook-body.js';
import { countWebhook } from './webhook-stats.js';

/** Systems that push lifecycle events to `/webhooks/events/:source`. */
export const WEBHOOK_EVENT_SOURCES = [
  'PAYMENT',
  'WMS',
  'TMS',
  'CRM',
] as const satisfies readonly EventSource[];

export interface WebhookDeps {
  pool: pg.Pool;
  /** Secret per endpoint name (`TAOBAO`, `WMS`…); an endpoint without one answers 503. */
  secrets: Readonly<Record<string, string>>;
  logger: Logger;
  now?: () => Date;
  /** Largest body accepted, in bytes. @default 8 MiB */
  maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Signed webhooks, each verified over the raw body before anything is parsed:
 * - `POST /webhooks/orders/:channel`: one order in the channel's own format, or `{ "orders": [...] }`,
 *   optionally with `"backfill": true` (as `submitOrders`' `backfill`);
 * - `POST /webhooks/events/:source` (payment, wms, tms, crm): one event, or `{ "events": [...] }`,
 *   each naming its order by `orderId` or `channel` + `channelOrderNo`.
 * Answers JSON: 200 with per-item results and errors (valid items are committed), 400 for a body
 * that is not JSON of the expected shape, 401 for signature problems, 404 for an unknown channel
 * or source, 413 for a body over the limit, 415 for a body that is not `application/json` or is
 * sent with a `Content-Encoding` (the signature covers the bytes sent, so they are never
 * decompressed), 503 when the endpoint has no secret configured. Permanent problems are 4xx, so
 * a sender does not retry them; 500 ("retry later") is kept for failures on our side.
 */
export function mountWebhooks(app: Express, deps: WebhookDeps): void {
  const router = express.Router();
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // Every body is read as bytes (whatever its type) and never inflated: a compressed body is
  // refused with 415 by body-parser, and the signature is checked over exactly what arrived.
  const raw = express.raw({ type: () => true, limit: maxBodyBytes, inflate: false });

  router.post(
    '/orders/:channel',
    raw,
    endpoint(deps, CHANNELS, async (name, body, receivedAt) => {
      const read = readWebhookBody(body, 'orders', MAX_ORDERS_PER_CALL, ['backfill']);
      if (!read.ok) return { status: 400, errors: read.errors, invalid: 0 };
      const { results, errors } = await submitChannelOrders(
        deps.pool,
        name as Channel,
        read.items,
        receivedAt,
        { plausibleAt: receivedAt, backfill: read.flags?.backfill === true },
      );
      return { status: 200, body: { results, errors }, invalid: read.items.length - results.length };
    }),
  );
  router.post(
    '/events/:source',
    raw,
    endpoint(deps, WEBHOOK_EVENT_SOURCES, async (name, body, receivedAt) => {
      const read = readWebhookBody(body, 'events', MAX_EVENTS_PER_CALL);
      if (!read.ok) return { status: 400, errors: read.errors, invalid: 0 };
      const applied = await applyFlatOrderEvents(deps.pool, read.items, receivedAt, {
        source: name as EventSource,
      });
      const results = applied.map(({ errors: _, ...result }) => result);
      const errors = applied.flatMap((r) =>
        r.errors.map((e) => ({ ...e, field: `events[${r.index}]${e.field ? `.${e.field}` : ''}` })),
      );
      return {
        status: 200,
        body: { results, errors },
        invalid: applied.filter((r) => r.outcome === 'INVALID').length,
      };
    }),
  );
  router.use((_req: Request, res: Response) => {
    res.status(404).json(failure('NOT_FOUND', 'no such webhook'));
  });
  router.use(
    (error: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
      const name = nameOf(req);
      const refusal = error.type ? BODY_REFUSALS[error.type] : undefined;
      if (refusal) {
        if (name) countWebhook(name, 'malformed');
        const message =
          refusal.status === 413 ? `the body is larger than ${maxBodyBytes} bytes` : refusal.message;
        res.status(refusal.status).json(failure(refusal.code, message));
        return;
      }
      if (name) countWebhook(name, 'serverErrors');
      // The message of a failure may quote the body; the name and the request id find it.
      deps.logger.error(
        {
          webhook: name,
          requestId: res.locals.requestId,
          errorName: error.name,
          errorType: error.type,
          frames: error.stack
            ?.split('\n')
            .slice(1, 6)
            .map((line) => line.trim()),
        },
        'webhook failed',
      );
      res.status(500).json(failure('INTERNAL', 'the webhook could not be processed; retry later'));
    },
  );
  app.use('/webhooks', router);
}

type Outcome =
  | { status: 200; body: Record<string, unknown>; invalid: number }
  | { status: 400; errors: FieldError[]; invalid: number };

function endpoint(
  deps: WebhookDeps,
  names: readonly string[],
  handle: (name: string, body: Buffer, receivedAt: Date) => Promise<Outcome>,
): RequestHandler {
  return async (req, res) => {
    const name = nameOf(req);
    if (!name || !names.includes(name)) {
      res.status(404).json(failure('UNKNOWN_WEBHOOK', `expected one of ${names.join(', ').toLowerCase()}`));
      return;
    }
    countWebhook(name, 'requests');
    if (!req.is(['application/json', '+json'])) {
      countWebhook(name, 'malformed');
      res
        .status(415)
        .json(failure('UNSUPPORTED_MEDIA_TYPE', 'send the body as Content-Type: application/json'));
      return;
    }
    const secret = deps.secrets[name];
    if (!secret) {
      countWebhook(name, 'notConfigured');
      deps.logger.warn({ webhook: name, variable: `WEBHOOK_SECRET_${name}` }, 'webhook not configured');
      res.status(503).json(failure('WEBHOOK_NOT_CONFIGURED', 'this webhook is not configured on the server'));
      return;
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const receivedAt = (deps.now ?? (() => new Date()))();
    const verified = verifyWebhook({
      secret,
      timestampHeader: req.headers['x-timestamp'],
      signatureHeader: req.headers['x-signature'],
      rawBody: body,
      now: receivedAt,
    });
    if (!verified.ok) {
      countWebhook(name, 'signatureFailures');
      deps.logger.warn({ webhook: name, code: verified.errors.code }, 'webhook signature refused');
      res.status(401).json({ error: verified.errors });
      return;
    }
    const outcome = await handle(name, body, receivedAt);
    if (outcome.status === 400) {
      countWebhook(name, 'malformed');
      const [first] = outcome.errors;
      res.status(400).json({ error: { code: first.code, message: first.message }, errors: outcome.errors });
      return;
    }
    countWebhook(name, 'accepted');
    if (outcome.invalid > 0) countWebhook(name, 'invalidItems', outcome.invalid);
    res.status(200).json(outcome.body);
  };
}

/** The endpoint name from the path under `/webhooks`, e.g. `/events/wms` → `WMS`. */
function nameOf(req: Request): string | null {
  const match = /^\/(?:orders|events)\/([a-z]{2,16})\/?$/i.exec(req.path);
  return match ? match[1].toUpperCase() : null;
}

const failure = (code: string, message: string) => ({ error: { code, message } });

/** Body-parser refusals by `type`: the sender's mistakes, answered 4xx so they are not retried. */
const BODY_REFUSALS: Record<string, { status: number; code: string; message: string }> = {
  'entity.too.large': { status: 413, code: 'BODY_TOO_LARGE', message: 'the body is too large' },
  'encoding.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_CONTENT_ENCODING',
    message: 'send the body uncompressed (no Content-Encoding): the signature covers the bytes sent',
  },
  'request.aborted': { status: 400, code: 'REQUEST_ABORTED', message: 'the request was aborted' },
  'request.size.invalid': {
    status: 400,
    code: 'BAD_CONTENT_LENGTH',
    message: 'the body does not match its Content-Length',
  },
};
