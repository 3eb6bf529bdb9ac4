import { ReconnectingListener } from '../../infra/db/reconnecting-listener.js';
import type { Logger } from '../../infra/logging/logger.js';

/** The PostgreSQL channel deactivations and revocations are announced on. */
export const REVOCATION_CHANNEL = 'auth_revocation';

/**
 * What changed: a staff user (deactivated, or sessions revoked), an API client (revoked), or
 * `ALL` when this process may have missed announcements (its connection was lost) and must
 * forget everything it cached.
 */
export type Revocation = { kind: 'STAFF'; id: string } | { kind: 'API_CLIENT'; id: string } | { kind: 'ALL' };

/** The NOTIFY payload of a revocation; sent inside the transaction that made it, so it is announced on commit. */
export const revocationPayload = (revocation: Revocation): string => JSON.stringify(revocation);

/**
 * Listens for revocations from every process (LISTEN on {@link REVOCATION_CHANNEL}) and hands
 * each to `onRevoked`. A lost connection is re-opened with back-off; on every (re)connection
 * `{ kind: 'ALL' }` is handed on, so nothing revoked meanwhile stays cached.
 */
export class RevocationListener {
  private readonly listener: ReconnectingListener;

  constructor(
    databaseUrl: string,
    private readonly logger: Logger,
    private readonly onRevoked: (revocation: Revocation) => void,
  ) {
    this.listener = new ReconnectingListener({
      url: databaseUrl,
      channel: REVOCATION_CHANNEL,
      onNotification: (payload) => this.receive(payload),
      onListening: () => this.onRevoked({ kind: 'ALL' }),
      logger,
    });
  }

  async start(): Promise<void> {
    await this.listener.start();
  }

  async stop(): Promise<void> {
    await this.listener.stop();
  }

  private receive(raw: string | undefined): void {
    let parsed: { kind?: unknown; id?: unknown };
    try {
      parsed = JSON.parse(raw ?? '');
    } catch {
      this.logger.warn('dropped a malformed revocation notification');
      return;
    }
    if ((parsed.kind === 'STAFF' || parsed.kind === 'API_CLIENT') && typeof parsed.id === 'string')
      this.onRevoked({ kind: parsed.kind, id: parsed.id });
    else if (parsed.kind === 'ALL') this.onRevoked({ kind: 'ALL' });
    else this.logger.warn('dropped a revocation notification of unknown shape');
  }
}
