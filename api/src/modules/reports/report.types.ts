import { GraphQLDateTime } from 'graphql-scalars';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../orders/order-connection.type.js';

@ObjectType('TimeoutReportRow', {
  description: 'One SLA stage handled by one processing group and owner over the period.',
})
export class TimeoutReportRowType {
  @Field(() => String, { description: 'The SLA stage, `<target>@<from>`, e.g. `PICKING@PAID_AT`.' })
  stage!: string;

  @Field(() => String, { description: 'The stage in words, e.g. "付款 → 拣货中".' })
  stageLabel!: string;

  @Field(() => String, { nullable: true })
  groupId!: string | null;

  @Field(() => String, { nullable: true })
  groupName!: string | null;

  @Field(() => String, { nullable: true, description: 'Staff user id of the owner.' })
  ownerId!: string | null;

  @Field(() => String, { nullable: true })
  ownerName!: string | null;

  @Field(() => Int, { description: 'Stages finished within the period: `onTime + late`.' })
  handled!: number;

  @Field(() => Int, { description: 'Finished at or before the deadline.' })
  onTime!: number;

  @Field(() => Int, { description: 'Finished after the deadline.' })
  late!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Handling minutes, start to finish, to 0.1; null when none.',
  })
  avgMinutes!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Nearest-rank 90th percentile of the handling minutes.',
  })
  p90Minutes!: number | null;

  @Field(() => Int, { description: 'Escalation levels reached on the stages counted here.' })
  escalations!: number;

  @Field(() => Int, {
    description:
      'Still open at the period end (or now, if earlier) and past the deadline, whatever the deadline day.',
  })
  openOverdue!: number;
}

@ObjectType('TimeoutReport', { description: 'SLA stage handling per stage, processing group and owner.' })
export class TimeoutReportType {
  @Field(() => GraphQLDateTime, { description: 'Period start (inclusive).' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: 'Period end (exclusive).' })
  to!: Date;

  @Field(() => GraphQLDateTime)
  generatedAt!: Date;

  @Field(() => [TimeoutReportRowType], { description: 'By stage, then group, then owner.' })
  rows!: TimeoutReportRowType[];
}

@ObjectType('TimeoutReportSnapshot', {
  description: "One business day's timeout report, as generated after the day.",
})
export class TimeoutReportSnapshotType {
  @Field(() => String, { description: 'The Shanghai business day, YYYY-MM-DD.' })
  day!: string;

  @Field(() => GraphQLDateTime)
  generatedAt!: Date;

  @Field(() => [TimeoutReportRowType])
  rows!: TimeoutReportRowType[];
}

@ObjectType('TimeoutReportSnapshotEdge')
export class TimeoutReportSnapshotEdge {
  @Field(() => String, { description: 'The day; pass as `after` to continue with the days before it.' })
  cursor!: string;

  @Field(() => TimeoutReportSnapshotType)
  node!: TimeoutReportSnapshotType;
}

@ObjectType('TimeoutReportSnapshotConnection', { description: 'Daily timeout reports, newest day first.' })
export class TimeoutReportSnapshotConnection {
  @Field(() => [TimeoutReportSnapshotEdge])
  edges!: TimeoutReportSnapshotEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType('FreshnessStat', {
  description:
    'How late one source reports that orders reached one stage: lag from occurredAt to receivedAt.',
})
export class FreshnessStatType {
  @Field(() => String, {
    description: 'The order state reached: CREATED, PAID, WAREHOUSE_ACCEPTED or SHIPPED.',
  })
  stage!: string;

  @Field(() => String, { description: 'The stage in words, e.g. "已付款".' })
  stageLabel!: string;

  @Field(() => String, { description: 'CHANNEL, PAYMENT, WMS or TMS.' })
  source!: string;

  @Field(() => Int, { description: 'Reports received in the period.' })
  count!: number;

  @Field(() => Float, { nullable: true })
  p50Seconds!: number | null;

  @Field(() => Float, { nullable: true })
  p90Seconds!: number | null;

  @Field(() => Float, { nullable: true })
  maxSeconds!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "The customer's target; null when this stage and source have none.",
  })
  targetSeconds!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Share (0 to 1) received within target; null without target or reports.',
  })
  shareWithinTarget!: number | null;

  @Field(() => Boolean, { description: 'Fewer than `minShare` of the reports arrived within target.' })
  behind!: boolean;
}

@ObjectType('StatusFreshness', {
  description:
    'Status freshness against the targets: order created in real time (CHANNEL, 60 s), payment confirmed ≤ 5 min (PAYMENT), warehouse accepted ≤ 30 min (WMS), shipped ≤ 1 h (TMS).',
})
export class StatusFreshnessType {
  @Field(() => GraphQLDateTime, { description: 'Reports received from (inclusive).' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: 'Reports received before (exclusive).' })
  to!: Date;

  @Field(() => Float, { description: 'A stage and source is behind below this share within target.' })
  minShare!: number;

  @Field(() => [FreshnessStatType], {
    description: 'Every target first, then stages and sources without one.',
  })
  stats!: FreshnessStatType[];
}
