import { BigIntType, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** An e-invoice for a fully reconciled order: REQUESTED → ISSUED or FAILED. */
@Entity({ tableName: 'invoice' })
@Unique({ name: 'invoice_order_unique', properties: ['orderId'] })
@Index({ name: 'invoice_state_idx', properties: ['state', 'requestedAt'] })
export class InvoiceRow {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'uuid' })
  orderId!: string;

  @Property({ type: 'text' })
  state!: string;

  @Property({ type: new BigIntType('string') })
  amountCents!: string;

  @Property({ type: 'text' })
  currency!: string;

  /** The buyer's invoice title (company or personal); never logged. */
  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'text', nullable: true })
  taxNo!: string | null;

  @Property({ type: 'text', nullable: true })
  invoiceNo!: string | null;

  @Property({ type: 'text', nullable: true })
  provider!: string | null;

  @Property({ type: 'text', nullable: true })
  failure!: string | null;

  @Property({ type: 'text' })
  requestedBy!: string;

  @Property({ type: 'timestamptz' })
  requestedAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  issuedAt!: Date | null;
}
