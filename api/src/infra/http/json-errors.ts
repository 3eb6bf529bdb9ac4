import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logging/logger.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Gives every request an id: the caller's `x-request-id` when it is a short plain token, else a
 * new UUID. It is echoed in the answer and named in every log line about a failure, so a caller
 * quoting it finds the line without the log holding what they sent.
 */
export function requestIds(): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    req.headers['x-request-id'] = id;
    res.locals.requestId = id;
    res.setHeader('x-request-id', id);
    next();
  };
}

/** Unknown paths answer JSON, not Express's HTML page. */
export function jsonNotFound(): RequestHandler {
  return (req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route for ${req.method} ${req.path}` } });
  };
}

/** Body-parser failures by their `type`: permanent ones are the caller's (4xx) and coded. */
const BODY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'INVALID_JSON', message: 'the body is not valid JSON' },
  'entity.too.large': { status: 413, code: 'BODY_TOO_LARGE', message: 'the body is larger than allowed' },
  'encoding.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_CONTENT_ENCODING',
    message: 'unsupported Content-Encoding (send identity, gzip or deflate)',
  },
  'charset.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_CHARSET',
    message: 'unsupported charset (send UTF-8)',
  },
  'request.aborted': { status: 400, code: 'REQUEST_ABORTED', message: 'the request was aborted' },
  'request.size.invalid': {
    status: 400,
    code: 'BAD_CONTENT_LENGTH',
    message: 'the body does not match its Content-Length',
  },
  'stream.encoding.set': { status: 500, code: 'INTERNAL', message: 'the body could not be read' },
};

/**
 * The last error handler: every failure answers JSON `{ error: { code, message, requestId } }`,
 * never an HTML page or a stack trace (unless `debug`). The body of a failed request is never
 * logged (a JSON parse error's message quotes it); a 5xx is logged with the request id.
 */
export function jsonErrors(logger: Logger, debug: boolean): ErrorRequestHandler {
  return (error: Error & { status?: number; statusCode?: number; type?: string }, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const requestId = res.locals.requestId as string | undefined;
    const known = error.type ? BODY_ERRORS[error.type] : undefined;
    const given = error.status ?? error.statusCode;
    const status = known?.status ?? (given && given >= 400 && given < 600 ? given : 500);
    const code = known?.code ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
    const message =
      known?.message ?? (status >= 500 ? 'the request could not be processed; retry later' : 'bad request');
    if (status >= 500)
      logger.error(
        {
          requestId,
          method: req.method,
          path: req.path,
          status,
          errorName: error.name,
          errorType: error.type,
        },
        'request failed',
      );
    const extra = debug ? { detail: error.message, stack: error.stack } : {};
    // GraphQL clients read `errors`; everything else reads `error`.
    if (req.originalUrl.startsWith('/graphql'))
      res.status(status).json({ errors: [{ message, extensions: { code, requestId, ...extra } }] });
    else res.status(status).json({ error: { code, message, requestId, ...extra } });
  };
}
