import { createPubSub } from '@graphql-yoga/subscription';
import { ReconnectingListener } from '../db/reconnecting-listener.js';
import type { Logger } from '../logging/logger.js';
import { PUBSUB_TOPICS, type PubSubTopic, type PubSubTopics } from './topics.js';

/** The PostgreSQL channel every API process listens on. */
export const PUBSUB_CHANNEL = 'platform_events';

type LocalPubSub = ReturnType<typeof createPubSub<{ [K in PubSubTopic]: [PubSubTopics[K]] }>>;

/**
 * Subscription fan-out across processes: events are published with NOTIFY (by the outbox
 * dispatcher, inside its transaction) and every API process LISTENs and republishes them to its
 * local subscribers. A process that loses the connection reconnects with backoff.
 */
export class PgPubSub {
  readonly local: LocalPubSub = createPubSub();
  private readonly seen = new Set<string>();
  private readonly listener: ReconnectingListener;

  constructor(
    databaseUrl: string,
    private readonly logger: Logger,
  ) {
    this.listener = new ReconnectingListener({
      url: databaseUrl,
      channel: PUBSUB_CHANNEL,
      onNotification: (payload) => this.receive(payload),
      logger,
    });
  }

  get isListening(): boolean {
    return this.listener.isListening;
  }

  async start(): Promise<void> {
    await this.listener.start();
  }

  async stop(): Promise<void> {
    await this.listener.stop();
  }

  /** Parses a NOTIFY payload at the edge; anything malformed is logged and dropped. */
  private receive(raw: string | undefined): void {
    let envelope: { topic?: unknown; event?: unknown };
    try {
      envelope = JSON.parse(raw ?? '');
    } catch {
      this.logger.warn('dropped a malformed pubsub notification');
      return;
    }
    const topic = envelope.topic as PubSubTopic;
    const event = envelope.event as { eventId?: unknown } | undefined;
    if (!PUBSUB_TOPICS.includes(topic) || typeof event?.eventId !== 'string') {
      this.logger.warn({ topic: String(envelope.topic) }, 'dropped a pubsub notification of unknown shape');
      return;
    }
    // At-least-once delivery upstream: drop an event this process already fanned out.
    if (this.seen.has(event.eventId)) return;
    this.seen.add(event.eventId);
    if (this.seen.size > 50_000) this.seen.delete(this.seen.values().next().value as string);
    // The topic was checked above; its payload type is the one the publisher wrote for it.
    const publish = this.local.publish.bind(this.local) as (
      topic: PubSubTopic,
      event: PubSubTopics[PubSubTopic],
    ) => void;
    publish(topic, event as PubSubTopics[PubSubTopic]);
  }
}
