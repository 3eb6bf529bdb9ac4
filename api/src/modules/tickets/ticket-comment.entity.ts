import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** A note on a ticket, appended by staff; never changed. */
@Entity({ tableName: 'ticket_comment' })
@Index({ name: 'ticket_comment_ticket_idx', properties: ['ticketId', 'createdAt'] })
export class TicketComment {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid' })
  ticketId!: string;

  @Property({ type: 'text' })
  authorUserId!: string;

  /** Username of the author. */
  @Property({ type: 'text' })
  authorName!: string;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;
}
