import { GraphQLDateTime } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../../infra/graphql/user-error.type.js';
import { ChannelEnum } from '../orders/order.type.js';

export const RoutingModeEnum = { ACTIVE: 'ACTIVE', PAUSED: 'PAUSED' } as const;
registerEnumType(RoutingModeEnum, {
  name: 'RoutingMode',
  description:
    'ACTIVE: new orders (of the whole platform, or of one channel) are routed. PAUSED: they are held with ROUTING_PAUSED.',
});
export const FlowHealthTriggerEnum = { AUTOMATIC: 'AUTOMATIC', MANUAL: 'MANUAL' } as const;
registerEnumType(FlowHealthTriggerEnum, {
  name: 'FlowHealthTrigger',
  description: 'AUTOMATIC: the address-parse check. MANUAL: a member of staff.',
});

@ObjectType('RoutingStatus', {
  description:
    'Whether routing assigns new orders (of the whole platform, or of one channel), and since when.',
})
export class RoutingStatusType {
  @Field(() => RoutingModeEnum)
  mode!: string;

  @Field(() => String, { nullable: true, description: 'Why, in words an operator can act on.' })
  reason!: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the mode last changed.' })
  since!: Date | null;

  @Field(() => String, { nullable: true, description: '`system` or the username of the member of staff.' })
  changedBy!: string | null;

  @Field(() => Boolean, { description: 'Whether a pause ends on its own once address parsing recovers.' })
  autoResume!: boolean;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Last run of the automatic check.' })
  lastCheckedAt!: Date | null;
}

@ObjectType('ChannelRoutingStatus', {
  description:
    "One channel's routing: paused on its own when its address-parse rate drops, whatever the others do.",
})
export class ChannelRoutingStatusType extends RoutingStatusType {
  @Field(() => ChannelEnum)
  channel!: string;

  @Field(() => Boolean, {
    description:
      "Whether this channel's new orders are routed now: neither it nor the whole platform is paused.",
  })
  routesNewOrders!: boolean;

  @Field(() => Int, { description: 'Open orders of this channel held with ROUTING_PAUSED.' })
  heldOrders!: number;
}

@ObjectType('ParseRate', { description: 'Address parses in the window: successes out of all.' })
export class ParseRateType {
  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  ok!: number;

  @Field(() => Float, { nullable: true, description: '`ok / total`, 0 to 1; null when there was no parse.' })
  rate!: number | null;
}

@ObjectType('ChannelParseRate')
export class ChannelParseRateType extends ParseRateType {
  @Field(() => ChannelEnum)
  channel!: string;
}

@ObjectType('ParseSuccess', { description: 'The rolling address-parse success rate routing depends on.' })
export class ParseSuccessType {
  @Field(() => Int)
  windowMinutes!: number;

  @Field(() => Float, { description: 'Routing pauses below this rate.' })
  threshold!: number;

  @Field(() => Float, { description: 'An automatic pause ends at or above this rate.' })
  resumeThreshold!: number;

  @Field(() => Int, { description: 'Fewer parses than this (overall or in a channel) decide nothing.' })
  minSamples!: number;

  @Field(() => Int, {
    description:
      'Channels (each with minSamples parses) below the threshold, with the overall rate below it too, that pause the whole platform; fewer pause only themselves.',
  })
  platformMinChannels!: number;

  @Field(() => ParseRateType)
  overall!: ParseRateType;

  @Field(() => [ChannelParseRateType], { description: 'Channels with at least one parse in the window.' })
  byChannel!: ChannelParseRateType[];

  @Field(() => Boolean, {
    description:
      'The rate dropped across channels (the rule that pauses the whole platform): the overall rate and at least platformMinChannels channels are below the threshold, each with enough parses.',
  })
  belowThreshold!: boolean;

  @Field(() => [ChannelEnum], { description: 'Channels below the threshold with enough parses.' })
  channelsBelowThreshold!: string[];
}

@ObjectType('DataCompleteness', {
  description: 'Open orders (not shipped, not cancelled) missing what fulfilment needs.',
})
export class DataCompletenessType {
  @Field(() => Int)
  openOrders!: number;

  @Field(() => Int)
  missingPhone!: number;

  @Field(() => Int)
  missingAddressDetail!: number;

  @Field(() => Int)
  missingItems!: number;

  @Field(() => Int, { description: 'Open orders missing at least one of them.' })
  incompleteOrders!: number;
}

@ObjectType('EventSourceActivity')
export class EventSourceActivityType {
  @Field(() => String, { description: 'CHANNEL, PAYMENT, WMS, TMS, CRM, STAFF or SYSTEM.' })
  source!: string;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When its last event was received.' })
  lastReceivedAt!: Date | null;
}

@ObjectType('ChannelActivity')
export class ChannelActivityType {
  @Field(() => ChannelEnum)
  channel!: string;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When its last new order was taken in.' })
  lastOrderAt!: Date | null;
}

@ObjectType('WebhookActivity', {
  description: 'Signed webhook requests this API process received since it started.',
})
export class WebhookActivityType {
  @Field(() => String)
  name!: string;

  @Field(() => Int)
  requests!: number;

  @Field(() => Int)
  accepted!: number;

  @Field(() => Int)
  signatureFailures!: number;

  @Field(() => Int)
  notConfigured!: number;

  @Field(() => Int)
  malformed!: number;

  @Field(() => Int)
  serverErrors!: number;
}

@ObjectType('Connectivity', { description: 'Whether the interfaces are still sending.' })
export class ConnectivityType {
  @Field(() => [EventSourceActivityType])
  eventSources!: EventSourceActivityType[];

  @Field(() => [ChannelActivityType])
  channels!: ChannelActivityType[];

  @Field(() => [WebhookActivityType])
  webhooks!: WebhookActivityType[];
}

@ObjectType('RuleHits')
export class RuleHitsType {
  @Field(() => String)
  ruleId!: string;

  @Field(() => Int)
  hits!: number;
}

@ObjectType('HeldOrders')
export class HeldOrdersType {
  @Field(() => String, { description: 'The hold reason, e.g. ROUTING_PAUSED.' })
  reason!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType('OpsAlerts', { description: 'Where pause and resume alerts go.' })
export class OpsAlertsType {
  @Field(() => Boolean, { description: 'Whether OPS_WECOM_WEBHOOK_URL names the operations group robot.' })
  configured!: boolean;

  @Field(() => Int, { description: 'WeCom messages given up on (the robot refused them or never answered).' })
  failedDeliveries!: number;
}

@ObjectType('FlowHealthChange', {
  description: 'One pause or resume of routing, platform-wide or of one channel: who, what, when and why.',
})
export class FlowHealthChangeType {
  @Field(() => ID)
  id!: string;

  @Field(() => ChannelEnum, {
    nullable: true,
    description: 'The channel it concerned; null for the whole platform.',
  })
  channel!: string | null;

  @Field(() => GraphQLDateTime)
  occurredAt!: Date;

  @Field(() => RoutingModeEnum)
  fromMode!: string;

  @Field(() => RoutingModeEnum)
  toMode!: string;

  @Field(() => FlowHealthTriggerEnum)
  trigger!: string;

  @Field(() => String, { description: '`system` or the username of the member of staff.' })
  actor!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => Float, {
    nullable: true,
    description: "Address-parse success rate at the time: the channel's, or overall for the whole platform.",
  })
  parseSuccessRate!: number | null;

  @Field(() => Boolean, { description: 'Whether the alert was queued for the operations group.' })
  alertSent!: boolean;

  @Field(() => Int, { nullable: true, description: 'Orders routed again after this resume.' })
  reroutedOrders!: number | null;
}

@ObjectType('PendingEvents', {
  description:
    'Lifecycle events that arrived before a step they depend on, kept until their order can take them.',
})
export class PendingEventsType {
  @Field(() => Int)
  events!: number;

  @Field(() => Int)
  orders!: number;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: 'When the longest-waiting one arrived; past PENDING_EVENT_TTL_HOURS they are REJECTED.',
  })
  oldestReceivedAt!: Date | null;
}

@ObjectType('FlowHealth', {
  description: 'Whether orders flow: routing, address parsing, data and interfaces.',
})
export class FlowHealthType {
  @Field(() => GraphQLDateTime)
  checkedAt!: Date;

  @Field(() => RoutingStatusType, { description: "The whole platform's routing." })
  routing!: RoutingStatusType;

  @Field(() => [ChannelRoutingStatusType], { description: "Each channel's routing, in channel order." })
  channelRouting!: ChannelRoutingStatusType[];

  @Field(() => ParseSuccessType)
  parseSuccess!: ParseSuccessType;

  @Field(() => DataCompletenessType)
  completeness!: DataCompletenessType;

  @Field(() => ConnectivityType)
  connectivity!: ConnectivityType;

  @Field(() => [RuleHitsType], {
    nullable: true,
    description: "Hits per routing rule on today's business day; null when rule statistics are not kept.",
  })
  ruleHitsToday!: RuleHitsType[] | null;

  @Field(() => [HeldOrdersType], { description: 'Open orders held back from processing, by hold reason.' })
  heldOrders!: HeldOrdersType[];

  @Field(() => PendingEventsType)
  pendingEvents!: PendingEventsType;

  @Field(() => OpsAlertsType)
  opsAlerts!: OpsAlertsType;

  @Field(() => [String], { description: 'What is wrong now, most urgent first, with what to do about it.' })
  problems!: string[];

  @Field(() => [FlowHealthChangeType], { description: 'The latest pauses and resumes, newest first.' })
  recentChanges!: FlowHealthChangeType[];
}

@ObjectType('RoutingModePayload')
export class RoutingModePayload {
  @Field(() => ChannelEnum, {
    nullable: true,
    description: 'The channel asked about; null for the whole platform.',
  })
  channel!: string | null;

  @Field(() => RoutingStatusType, { description: 'The routing of the scope asked about, after the change.' })
  routing!: RoutingStatusType;

  @Field(() => Boolean, { description: 'False when routing already was in the asked mode.' })
  changed!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Orders held with ROUTING_PAUSED that were routed again.',
  })
  reroutedOrders!: number | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('FlowHealthChangedEvent', {
  description: 'Routing was paused or resumed, for the whole platform or for one channel.',
})
export class FlowHealthChangedEventType {
  @Field(() => ID, { description: 'Unique per event; the same event delivered twice has the same id.' })
  eventId!: string;

  @Field(() => ChannelEnum, {
    nullable: true,
    description: 'The channel it concerned; null for the whole platform.',
  })
  channel!: string | null;

  @Field(() => ID, { description: 'The history entry (FlowHealthChange.id).' })
  changeId!: string;

  @Field(() => RoutingModeEnum)
  routingMode!: string;

  @Field(() => RoutingModeEnum)
  previousMode!: string;

  @Field(() => FlowHealthTriggerEnum)
  trigger!: string;

  @Field(() => String)
  reason!: string;

  @Field(() => String)
  changedBy!: string;

  @Field(() => Float, { nullable: true })
  parseSuccessRate!: number | null;

  @Field(() => GraphQLDateTime)
  occurredAt!: Date;
}
