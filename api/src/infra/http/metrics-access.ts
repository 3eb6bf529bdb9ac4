import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may scrape `/metrics`: with a token configured (`METRICS_TOKEN`), callers sending
 * `Authorization: Bearer <token>`; without one, callers on the loopback interface only (a
 * scraper on the same host or behind a local proxy). Anyone else gets 401 / 403 JSON.
 */
export function metricsAccess(token: string | null): RequestHandler {
  const expected = token ? digest(token) : null;
  return (req, res, next) => {
    if (expected) {
      const [scheme, given] = (req.headers.authorization ?? '').split(/\s+/, 2);
      if (scheme?.toLowerCase() === 'bearer' && given && timingSafeEqual(digest(given), expected)) {
        next();
        return;
      }
      res
        .status(401)
        .setHeader('www-authenticate', 'Bearer')
        .json({ error: { code: 'UNAUTHENTICATED', message: 'send Authorization: Bearer <METRICS_TOKEN>' } });
      return;
    }
    if (LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      next();
      return;
    }
    res.status(403).json({
      error: { code: 'FORBIDDEN', message: '/metrics answers loopback callers unless METRICS_TOKEN is set' },
    });
  };
}

/** Equal-length digests, so the comparison takes the same time whatever was sent. */
const digest = (text: string) => createHash('sha256').update(text).digest();
