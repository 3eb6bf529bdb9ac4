import { BigIntType, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** One reconciliation run over a range of business days, for one shop or all. */
@Entity({ tableName: 'reconciliation_run' })
@Index({ name: 'reconciliation_run_started_idx', properties: ['startedAt'] })
export class ReconciliationRunRow {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  /** null: every shop. */
  @Property({ type: 'text', nullable: true })
  shop!: string | null;

  @Property({ type: 'date' })
  fromDate!: string;

  @Property({ type: 'date' })
  toDate!: string;

  /** SCHEDULE or MANUAL. */
  @Property({ type: 'text' })
  trigger!: string;

  @Property({ type: 'text' })
  startedBy!: string;

  /** RUNNING, DONE or FAILED. */
  @Property({ type: 'text' })
  state!: string;

  /** Days done of the range, for a long run's progress. */
  @Property({ type: 'integer', default: 0 })
  daysDone!: number;

  @Property({ type: 'integer' })
  daysTotal!: number;

  /** Orders, records and outcomes by type. */
  @Property({ type: 'jsonb', default: '{}' })
  counts!: Record<string, number>;

  /** The settings the run matched with (fee terms, settlement windows). */
  @Property({ type: 'jsonb' })
  settings!: Record<string, unknown>;

  @Property({ type: 'text', nullable: true })
  error!: string | null;

  @Property({ type: 'timestamptz' })
  startedAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Property({ type: 'integer', nullable: true })
  durationMs!: number | null;
}

/**
 * A difference reconciliation found, kept by `itemKey` across runs, which finance works through its
 * lifecycle (`state`). A difference that later matches keeps its row, resolved by the run, with the
 * outcome MATCHED. Matched payments are counted in `reconciliation_day_outcome`, not kept here.
 * The reconciliation module alone writes it.
 */
@Entity({ tableName: 'reconciliation_item' })
@Unique({ name: 'reconciliation_item_key_unique', properties: ['itemKey'] })
// Items written before matched payments were only counted may have no state: left out of the index.
@Index({
  name: 'reconciliation_item_queue_idx',
  expression:
    'create index "reconciliation_item_queue_idx" on "reconciliation_item" ("state", "business_date", "id") where "state" is not null',
})
// The unfiltered discrepancy list, newest business day first, without sorting every discrepancy.
@Index({
  name: 'reconciliation_item_discrepancy_idx',
  expression:
    'create index "reconciliation_item_discrepancy_idx" on "reconciliation_item" ("business_date", "id") where "state" is not null',
})
@Index({ name: 'reconciliation_item_order_idx', properties: ['orderId'] })
@Index({
  name: 'reconciliation_item_record_idx',
  expression:
    'create index "reconciliation_item_record_idx" on "reconciliation_item" ("record_id") where "record_id" is not null',
})
export class ReconciliationItemRow {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'text' })
  itemKey!: string;

  @Property({ type: 'text' })
  outcome!: string;

  /** OPEN, CONFIRMED, RESOLVED or WRITTEN_OFF (null only on rows from before matched payments were counted). */
  @Property({ type: 'text', nullable: true })
  state!: string | null;

  @Property({ type: 'uuid', nullable: true })
  orderId!: string | null;

  @Property({ type: 'uuid', nullable: true })
  recordId!: string | null;

  @Property({ type: 'text' })
  shop!: string;

  @Property({ type: 'text' })
  channel!: string;

  @Property({ type: 'text', nullable: true })
  channelOrderNo!: string | null;

  @Property({ type: 'text', nullable: true })
  gateway!: string | null;

  @Property({ type: 'text', nullable: true })
  paymentNo!: string | null;

  @Property({ type: new BigIntType('string'), nullable: true })
  expectedCents!: string | null;

  @Property({ type: new BigIntType('string'), nullable: true })
  actualCents!: string | null;

  @Property({ type: 'text', default: 'CNY' })
  currency!: string;

  /** The business day (Shanghai) of the payment or record it is about. */
  @Property({ type: 'date' })
  businessDate!: string;

  @Property({ type: 'uuid' })
  lastRunId!: string;

  @Property({ type: 'text', nullable: true })
  assignee!: string | null;

  @Property({ type: 'timestamptz' })
  foundAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** Every decision on a discrepancy: who, what, when, from which state to which. */
@Entity({ tableName: 'reconciliation_audit' })
@Index({ name: 'reconciliation_audit_item_idx', properties: ['itemId', 'at'] })
export class ReconciliationAuditRow {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid' })
  itemId!: string;

  /** ASSIGN, NOTE, CONFIRM, RESOLVE, WRITE_OFF or CLEARED_BY_RUN. */
  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text' })
  actor!: string;

  @Property({ type: 'text', nullable: true })
  fromState!: string | null;

  @Property({ type: 'text', nullable: true })
  toState!: string | null;

  @Property({ type: 'text', nullable: true })
  note!: string | null;

  @Property({ type: 'timestamptz' })
  at!: Date;
}

/**
 * How many answers of each outcome the latest run gave one shop's money: the counts of the items
 * merged on `mergeDay` (the day of the run's scope they were found on), by the business day they
 * are about. Matched payments are counted here, not kept as items: the queue holds differences
 * only. A run replaces the rows of each day it merges; a day on which a shop has rows is one its
 * money has been reconciled on, as the money stood at `countedAt` (the invoice check and the ERP
 * export read that).
 */
@Entity({ tableName: 'reconciliation_day_outcome' })
@Index({ name: 'reconciliation_day_outcome_day_idx', properties: ['shop', 'businessDate'] })
export class ReconciliationDayOutcomeRow {
  @PrimaryKey({ type: 'text' })
  shop!: string;

  @PrimaryKey({ type: 'date' })
  mergeDay!: string;

  @PrimaryKey({ type: 'date' })
  businessDate!: string;

  @PrimaryKey({ type: 'text' })
  outcome!: string;

  @Property({ type: 'integer' })
  n!: number;

  @Property({ type: 'uuid' })
  runId!: string;

  /** When the run read its scope (database time): payments recorded later were not seen. */
  @Property({ type: 'timestamptz' })
  countedAt!: Date;
}
