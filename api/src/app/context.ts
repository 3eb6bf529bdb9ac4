import type pg from 'pg';
import type { Viewer } from '../domain/auth/viewer.js';
import type { Orm } from '../infra/db/orm.js';
import type { Logger } from '../infra/logging/logger.js';
import type { AuthService } from '../modules/auth/auth.service.js';
import type { CustomerSession } from '../modules/customer/customer-keys.js';

/** Facts about the running platform that resolvers may report. */
export interface PlatformFacts {
  version: string;
  schedulerBackend: string;
}

/** What every resolver receives. Built once per HTTP request or per subscription message. */
export interface GraphQLContext {
  orm: Orm;
  pool: pg.Pool;
  logger: Logger;
  platform: PlatformFacts;
  auth: AuthService;
  /** Who is calling, authenticated at the edge. */
  viewer: Viewer;
  /** A customer signed in by phone (`Authorization: Customer <token>`); the viewer stays anonymous. */
  customer?: CustomerSession | null;
  /** Request time, passed to domain rules as `now`. */
  now: Date;
  /** The caller's network address (sign-in back-off and audit). */
  clientAddress?: string | null;
}
