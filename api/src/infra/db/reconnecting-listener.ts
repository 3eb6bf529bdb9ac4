import pg from 'pg';
import type { Logger } from '../logging/logger.js';

/**
 * A LISTEN connection that survives the database going away: on error it is dropped and opened
 * again with backoff (250 ms doubling, at most 10 s), and `onListening` runs after each
 * (re)connection so the caller can catch up on notifications missed meanwhile.
 */
export class ReconnectingListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly opts: {
      url: string;
      channel: string;
      onNotification: (payload: string | undefined) => void;
      onListening?: () => void;
      logger: Logger;
      /** @default 5000 */
      connectTimeoutMs?: number;
    },
  ) {}

  get isListening(): boolean {
    return this.client !== null;
  }

  /** Connects once; a failure is thrown (the caller decides whether starting without it is fine). */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.opts.url,
      connectionTimeoutMillis: this.opts.connectTimeoutMs ?? 5000,
      keepAlive: true,
    });
    client.on('notification', (message) => this.opts.onNotification(message.payload));
    client.on('error', (error) => {
      if (this.client !== client) return;
      this.opts.logger.warn(
        { channel: this.opts.channel, err: error.message },
        'listen connection lost; reconnecting',
      );
      this.client = null;
      void client.end().catch(() => undefined);
      this.reconnect(1);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.opts.channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.opts.onListening?.();
  }

  private reconnect(attempt: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.connect().catch(() => this.reconnect(attempt + 1));
      },
      Math.min(250 * 2 ** attempt, 10_000),
    );
    this.timer.unref();
  }
}
