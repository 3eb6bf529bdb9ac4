import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * Every SMS the platform decided to send: written with the state change that causes it (the
 * outbox carries the delivery), so per-phone limits count what was asked for, not what arrived.
 * The phone is kept as a keyed digest and a masked form; the clear number lives only in the
 * outbox message until delivery.
 */
@Entity({ tableName: 'sms_message' })
@Index({ name: 'sms_message_phone_idx', properties: ['phoneDigest', 'createdAt'] })
@Index({ name: 'sms_message_created_idx', properties: ['createdAt', 'id'] })
@Unique({ name: 'sms_message_dedupe_unique', properties: ['dedupeKey'] })
export class SmsMessage {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  /** Same cause, same key: a second request for the same SMS is ignored. */
  @Property({ type: 'text' })
  dedupeKey!: string;

  @Property({ type: 'text' })
  phoneDigest!: string;

  @Property({ type: 'text' })
  phoneMasked!: string;

  @Property({ type: 'text' })
  templateCode!: string;

  /** The rendered text, with a login code replaced by `******`. */
  @Property({ type: 'text' })
  preview!: string;

  /** `PENDING`, `SENT`, `FAILED`. */
  @Property({ type: 'text' })
  status!: string;

  @Property({ type: 'text', nullable: true })
  provider!: string | null;

  @Property({ type: 'text', nullable: true })
  providerMessageId!: string | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  /** When it may go out (held through quiet hours). */
  @Property({ type: 'timestamptz' })
  sendAfter!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
