import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { SlaPolicyDraft } from '../../domain/sla/sla-policy.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import { BusinessTypeEnum, ChannelEnum } from '../orders/order.type.js';
import type { SlaPolicyVersionRow } from './sla-policy.store.js';

@ObjectType('SlaStage', { description: 'One deadline: reach `target` within the minutes after `from`.' })
export class SlaStageType {
  @Field(() => String, { description: 'The state the clock waits for, e.g. PICKING.' })
  target!: string;

  @Field(() => String, {
    description:
      'PAID_AT, BALANCE_PAID_AT, PROMISED_SHIP_AT, PROMISED_DELIVERY_AT (the delivery time the channel promised; the deadline itself) or STATE_ENTERED:<state>.',
  })
  from!: string;

  @Field(() => Int)
  withinMinutes!: number;

  @Field(() => Int, {
    description: 'Extra minutes before `withinMinutes` starts counting (production time).',
  })
  allowanceMinutes!: number;
}

@ObjectType('SlaEscalationStep', {
  description: 'Level n falls due `afterMinutes` after the stage deadline.',
})
export class SlaEscalationStepType {
  @Field(() => Int)
  level!: number;

  @Field(() => Int)
  afterMinutes!: number;

  @Field(() => [String], {
    description: 'FLAG_ABNORMAL, REMIND_OWNER, OPEN_TICKET, ESCALATE_SUPERVISOR, NOTIFY_OPS.',
  })
  actions!: string[];
}

@ObjectType('SlaPolicyVersion', { description: 'One saved version of an SLA policy; never changed.' })
export class SlaPolicyVersionType {
  @Field(() => String, { description: '`BUSINESS_TYPE:CHANNEL:GROUP`, `*` for any, e.g. `NORMAL:*:*`.' })
  key!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => String)
  name!: string;

  @Field(() => BusinessTypeEnum)
  businessType!: string;

  @Field(() => ChannelEnum, { nullable: true, description: 'Null: any channel.' })
  channel!: string | null;

  @Field(() => String, { nullable: true, description: 'Processing group id; null: any group.' })
  groupId!: string | null;

  @Field(() => [SlaStageType], { description: 'Evaluated in order: the first stage not reached runs.' })
  stages!: SlaStageType[];

  @Field(() => [SlaEscalationStepType])
  escalation!: SlaEscalationStepType[];

  @Field(() => String, { description: 'Username of who saved it; `system` for the defaults.' })
  createdBy!: string;

  @Field(() => GraphQLDateTime)
  createdAt!: Date;

  @Field(() => String, { nullable: true })
  comment!: string | null;

  @Field(() => Boolean, { description: 'One version per key is active.' })
  active!: boolean;

  static from(row: SlaPolicyVersionRow): SlaPolicyVersionType {
    const draft: SlaPolicyDraft = row.definition;
    return Object.assign(new SlaPolicyVersionType(), {
      key: row.policyKey,
      version: row.version,
      name: draft.name,
      businessType: draft.businessType,
      channel: draft.channel,
      groupId: draft.groupId,
      stages: draft.stages.map((s) =>
        Object.assign(new SlaStageType(), { ...s, allowanceMinutes: s.allowanceMinutes ?? 0 }),
      ),
      escalation: draft.escalation.map((step, index) =>
        Object.assign(new SlaEscalationStepType(), {
          level: index + 1,
          afterMinutes: step.afterMinutes,
          actions: [...step.actions],
        }),
      ),
      createdBy: row.createdBy,
      createdAt: row.createdAt,
      comment: row.comment,
      active: row.active,
    });
  }
}

@ObjectType('SlaPolicy', { description: 'A policy key with its active version and its history.' })
export class SlaPolicyType {
  @Field(() => String)
  key!: string;

  @Field(() => SlaPolicyVersionType)
  active!: SlaPolicyVersionType;
}

@InputType({ description: 'One stage; missing or wrong fields are reported as userErrors with their path.' })
export class SlaStageInput {
  @Field(() => String, { nullable: true })
  target?: string | null;

  @Field(() => String, { nullable: true })
  from?: string | null;

  @Field(() => Int, { nullable: true })
  withinMinutes?: number | null;

  @Field(() => Int, { nullable: true })
  allowanceMinutes?: number | null;
}

@InputType({ description: 'One escalation level; levels are numbered by position.' })
export class SlaEscalationStepInput {
  @Field(() => Int, {
    nullable: true,
    description: 'Optional; must equal the position (1, 2, …) when given.',
  })
  level?: number | null;

  @Field(() => Int, { nullable: true })
  afterMinutes?: number | null;

  @Field(() => [String], { nullable: true })
  actions?: string[] | null;
}

@InputType({ description: 'A whole policy; saving it makes it the next, active version of its key.' })
export class SlaPolicyInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'NORMAL, PRESALE or CUSTOM.' })
  businessType?: string | null;

  @Field(() => String, { nullable: true, description: 'TAOBAO, JD, DOUYIN, WEBSHOP; empty for any.' })
  channel?: string | null;

  @Field(() => String, { nullable: true, description: 'Processing group id; empty for any.' })
  groupId?: string | null;

  @Field(() => [SlaStageInput], { nullable: true })
  stages?: SlaStageInput[] | null;

  @Field(() => [SlaEscalationStepInput], { nullable: true })
  escalation?: SlaEscalationStepInput[] | null;
}

@ObjectType('SaveSlaPolicyPayload')
export class SaveSlaPolicyPayload {
  @Field(() => SlaPolicyVersionType, {
    nullable: true,
    description: 'The new active version; null on error.',
  })
  policy!: SlaPolicyVersionType | null;

  @Field(() => [UserError], {
    description: 'Every defect with its path, e.g. `stages[1].withinMinutes`; nothing is saved.',
  })
  userErrors!: UserError[];
}

@ObjectType('SlaDryRunOrder', { description: 'An open order that would be past its deadline.' })
export class SlaDryRunOrderType {
  @Field(() => ID)
  orderId!: string;

  @Field(() => String)
  channelOrderNo!: string;

  @Field(() => String)
  stage!: string;

  @Field(() => GraphQLDateTime)
  deadline!: Date;

  @Field(() => Int, { description: 'The escalation level due now; 0 when late but before level 1.' })
  level!: number;

  @Field(() => Int)
  overdueMinutes!: number;
}

@ObjectType('SlaLevelCount')
export class SlaLevelCountType {
  @Field(() => Int)
  level!: number;

  @Field(() => Int)
  count!: number;
}

@ObjectType('SlaDryRun', { description: 'What the policy would find if it were live now.' })
export class SlaDryRunType {
  @Field(() => Int, { description: 'Open orders the policy would govern.' })
  evaluated!: number;

  @Field(() => Int, { description: 'Of those, how many are past their deadline.' })
  overdue!: number;

  @Field(() => [SlaLevelCountType], { description: 'Overdue orders per level due now.' })
  byLevel!: SlaLevelCountType[];

  @Field(() => [SlaDryRunOrderType], { description: 'The 200 most overdue, earliest deadline first.' })
  orders!: SlaDryRunOrderType[];
}

@ObjectType('DryRunSlaPolicyPayload')
export class DryRunSlaPolicyPayload {
  @Field(() => SlaDryRunType, { nullable: true, description: 'Null when the input has defects.' })
  report!: SlaDryRunType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
