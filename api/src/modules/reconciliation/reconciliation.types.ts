import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../infra/graphql/user-error.type.js';
import type { DiscrepancyFoundEvent } from '../../infra/pubsub/topics.js';
import { PageInfo } from '../orders/order-connection.type.js';
import type { AuditRow, DiscrepancyRow } from './discrepancy.store.js';
import type { DailyReconciliationReport } from './reconciliation-report.js';

@ObjectType('ReconciliationMoney', {
  description: 'An amount as a string of integer cents (64-bit safe) with its currency.',
})
export class ReconciliationMoney {
  @Field(() => String, { description: 'Whole cents (fen), e.g. "12345" for ¥123.45; may exceed 2^53.' })
  cents!: string;

  @Field(() => String)
  currency!: string;

  static of(cents: string | null, currency = 'CNY'): ReconciliationMoney | null {
    return cents === null ? null : Object.assign(new ReconciliationMoney(), { cents, currency });
  }
}

@ObjectType('OutcomeCount')
export class OutcomeCount {
  @Field(() => String)
  key!: string;

  @Field(() => Int)
  count!: number;

  static list(counts: Record<string, number>): OutcomeCount[] {
    return Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, count]) => Object.assign(new OutcomeCount(), { key, count }));
  }
}

@ObjectType('ReconciliationRun', {
  description: 'One run over a range of business days; progress in daysDone/daysTotal.',
})
export class ReconciliationRunType {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: 'null: every shop.' }) shop!: string | null;
  @Field(() => String) fromDate!: string;
  @Field(() => String) toDate!: string;
  @Field(() => String, { description: 'SCHEDULE or MANUAL.' }) trigger!: string;
  @Field(() => String) startedBy!: string;
  @Field(() => String, { description: 'RUNNING, DONE or FAILED.' }) state!: string;
  @Field(() => Int) daysDone!: number;
  @Field(() => Int) daysTotal!: number;
  @Field(() => [OutcomeCount], {
    description: 'orders, records, opened, cleared and one count per outcome type.',
  })
  counts!: OutcomeCount[];
  @Field(() => Int, { nullable: true }) durationMs!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Date) startedAt!: Date;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;

  static from(row: Record<string, unknown>): ReconciliationRunType {
    return Object.assign(new ReconciliationRunType(), {
      id: row.id,
      shop: row.shop,
      fromDate: row.from_date,
      toDate: row.to_date,
      trigger: row.trigger,
      startedBy: row.started_by,
      state: row.state,
      daysDone: row.days_done,
      daysTotal: row.days_total,
      counts: OutcomeCount.list((row.counts ?? {}) as Record<string, number>),
      durationMs: row.duration_ms,
      error: row.error,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
    });
  }
}

@ObjectType('DiscrepancyAudit')
export class DiscrepancyAuditType {
  @Field(() => String, { description: 'FOUND, ASSIGN, NOTE, CONFIRM, RESOLVE, WRITE_OFF or CLEARED_BY_RUN.' })
  action!: string;
  @Field(() => String) actor!: string;
  @Field(() => String, { nullable: true }) fromState!: string | null;
  @Field(() => String, { nullable: true }) toState!: string | null;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => Date) at!: Date;

  static from(row: AuditRow): DiscrepancyAuditType {
    return Object.assign(new DiscrepancyAuditType(), row);
  }
}

@ObjectType('Discrepancy', { description: 'A difference reconciliation found, as finance works it.' })
export class DiscrepancyType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'The outcome type, e.g. MISSING_PAYMENT, FEE_VARIANCE.' })
  type!: string;
  @Field(() => String, { description: 'OPEN, CONFIRMED, RESOLVED or WRITTEN_OFF.' }) state!: string;
  @Field(() => ID, { nullable: true }) orderId!: string | null;
  @Field(() => ID, { nullable: true }) moneyRecordId!: string | null;
  @Field(() => String) shop!: string;
  @Field(() => String) channel!: string;
  @Field(() => String, { nullable: true }) channelOrderNo!: string | null;
  @Field(() => String, { nullable: true, description: 'The payment method: WECHAT, ALIPAY, UNIONPAY…' })
  gateway!: string | null;
  @Field(() => String, { nullable: true }) paymentNo!: string | null;
  @Field(() => ReconciliationMoney, { nullable: true }) expected!: ReconciliationMoney | null;
  @Field(() => ReconciliationMoney, { nullable: true }) actual!: ReconciliationMoney | null;
  @Field(() => String) businessDate!: string;
  @Field(() => String, { nullable: true }) assignee!: string | null;
  @Field(() => Date) foundAt!: Date;
  @Field(() => Date) updatedAt!: Date;

  static from(row: DiscrepancyRow): DiscrepancyType {
    return Object.assign(new DiscrepancyType(), {
      ...row,
      type: row.outcome,
      moneyRecordId: row.recordId,
      expected: ReconciliationMoney.of(row.expectedCents, row.currency),
      actual: ReconciliationMoney.of(row.actualCents, row.currency),
    });
  }
}

@ObjectType('DiscrepancyEdge')
export class DiscrepancyEdge {
  @Field(() => String) cursor!: string;
  @Field(() => DiscrepancyType) node!: DiscrepancyType;
}

@ObjectType('DiscrepancyConnection')
export class DiscrepancyConnection {
  @Field(() => [DiscrepancyEdge]) edges!: DiscrepancyEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType('DiscrepancyFilter')
export class DiscrepancyFilterInput {
  @Field(() => String, { nullable: true }) shop?: string | null;
  @Field(() => String, { nullable: true }) channel?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Payment method: WECHAT, ALIPAY, UNIONPAY, TAOBAO, JD, DOUYIN.',
  })
  gateway?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Outcome type; PENDING_SETTLEMENT lists money still in its window.',
  })
  type?: string | null;
  @Field(() => String, { nullable: true }) state?: string | null;
  @Field(() => String, { nullable: true }) assignee?: string | null;
  @Field(() => String, { nullable: true, description: 'First business day, YYYY-MM-DD.' }) fromDate?:
    | string
    | null;
  @Field(() => String, { nullable: true, description: 'Last business day, YYYY-MM-DD.' }) toDate?:
    | string
    | null;
}

@ObjectType('DiscrepancyPayload')
export class DiscrepancyPayload {
  @Field(() => DiscrepancyType, { nullable: true }) discrepancy!: DiscrepancyType | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType('ReconciliationRunPayload')
export class ReconciliationRunPayload {
  @Field(() => ReconciliationRunType, { nullable: true }) run!: ReconciliationRunType | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType('DailyReconciliationReport', { description: 'One shop on one business day.' })
export class DailyReconciliationReportType {
  @Field(() => String) shop!: string;
  @Field(() => String) businessDate!: string;
  @Field(() => ReconciliationMoney) gross!: ReconciliationMoney;
  @Field(() => ReconciliationMoney) refunds!: ReconciliationMoney;
  @Field(() => ReconciliationMoney) fees!: ReconciliationMoney;
  @Field(() => ReconciliationMoney) subsidies!: ReconciliationMoney;
  @Field(() => ReconciliationMoney, { description: 'gross − refunds − fees + subsidies.' })
  net!: ReconciliationMoney;
  @Field(() => [OutcomeCount]) outcomes!: OutcomeCount[];

  static from(r: DailyReconciliationReport): DailyReconciliationReportType {
    const money = (c: string) => ReconciliationMoney.of(c, r.currency)!;
    return Object.assign(new DailyReconciliationReportType(), {
      shop: r.shop,
      businessDate: r.businessDate,
      gross: money(r.grossCents),
      refunds: money(r.refundCents),
      fees: money(r.feeCents),
      subsidies: money(r.subsidyCents),
      net: money(r.netCents),
      outcomes: OutcomeCount.list(r.outcomes),
    });
  }
}

@ObjectType('DiscrepancyFound', { description: 'New discrepancies of one run on one business day.' })
export class DiscrepancyFoundType {
  @Field(() => ID) eventId!: string;
  @Field(() => ID) runId!: string;
  @Field(() => String, { nullable: true }) shop!: string | null;
  @Field(() => String) businessDate!: string;
  @Field(() => Int) total!: number;
  @Field(() => [OutcomeCount]) byType!: OutcomeCount[];
  @Field(() => String) occurredAt!: string;

  static from(e: DiscrepancyFoundEvent): DiscrepancyFoundType {
    return Object.assign(new DiscrepancyFoundType(), { ...e, byType: OutcomeCount.list(e.byType) });
  }
}
