import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** A note staff wrote on an order; shown in its timeline beside the events. Never edited. */
@Entity({ tableName: 'order_note' })
@Index({ name: 'order_note_order_idx', properties: ['orderId', 'createdAt'] })
export class OrderNote {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'uuid' })
  orderId!: string;

  /** The staff user who wrote it. */
  @Property({ type: 'uuid' })
  authorId!: string;

  /** The author's username when the note was written. */
  @Property({ type: 'text' })
  authorUsername!: string;

  /** The role the author wrote in (their first role). */
  @Property({ type: 'text' })
  authorRole!: string;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;
}
