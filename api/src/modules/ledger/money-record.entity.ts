import { BigIntType, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * One movement of money as its source reported it: a payment, refund, fee, subsidy or settlement
 * line, each with its gateway and its own number there. Its order is found by key (`channel`,
 * `merchantOrderNo`), never by position in a file. The ledger module alone writes this table.
 */
@Entity({ tableName: 'money_record' })
@Unique({ name: 'money_record_source_unique', properties: ['gateway', 'kind', 'recordNo'] })
@Index({ name: 'money_record_order_key_idx', properties: ['channel', 'merchantOrderNo'] })
@Index({ name: 'money_record_occurred_idx', properties: ['occurredAt'] })
export class MoneyRecordRow {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  /** PAYMENT, REFUND, FEE, SUBSIDY or SETTLEMENT. */
  @Property({ type: 'text' })
  kind!: string;

  @Property({ type: 'text' })
  gateway!: string;

  @Property({ type: 'text' })
  recordNo!: string;

  /** The payment (gateway transaction id) the movement belongs to. */
  @Property({ type: 'text', nullable: true })
  paymentNo!: string | null;

  /** The channel whose order numbers `merchantOrderNo` is written in. */
  @Property({ type: 'text' })
  channel!: string;

  @Property({ type: 'text', nullable: true })
  merchantOrderNo!: string | null;

  /** FULL, DEPOSIT or BALANCE when the source says. */
  @Property({ type: 'text', nullable: true })
  part!: string | null;

  /** The source's own name of the line (`佣金`, `支付宝红包`). */
  @Property({ type: 'text', nullable: true })
  lineType!: string | null;

  /** Never negative: `kind` gives the direction. */
  @Property({ type: new BigIntType('string') })
  amountCents!: string;

  @Property({ type: new BigIntType('string'), nullable: true })
  feeCents!: string | null;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  /** The bill it came from; null for a gateway notification. */
  @Property({ type: 'uuid', nullable: true })
  billImportId!: string | null;

  @Property({ type: 'integer', nullable: true })
  sourceLine!: number | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;
}

/** One bill file imported: the same file (by content hash) is imported once. */
@Entity({ tableName: 'bill_import' })
@Unique({ name: 'bill_import_sha256_unique', properties: ['sha256'] })
export class BillImportRow {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'text' })
  format!: string;

  @Property({ type: 'text' })
  channel!: string;

  @Property({ type: 'text' })
  fileName!: string;

  @Property({ type: 'text' })
  sha256!: string;

  @Property({ type: 'bigint' })
  bytes!: string;

  @Property({ type: 'integer' })
  lines!: number;

  @Property({ type: 'integer' })
  entries!: number;

  /** Entries new to the ledger; the rest were known already (the same movement in another file). */
  @Property({ type: 'integer' })
  inserted!: number;

  @Property({ type: 'text' })
  importedBy!: string;

  @Property({ type: 'timestamptz' })
  importedAt!: Date;
}
