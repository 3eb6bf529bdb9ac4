import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { FieldError } from '../../domain/shared/result.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import { ChannelEnum, OrderStateEnum } from './order.type.js';
import { WebshopOrderInput, webshopPayloads } from './webshop-order.input.js';

@InputType({
  description:
    "Orders of one channel: in the channel's own JSON (`orders`), or, for the web shop, typed (`webshopOrders`). Give exactly one of the two.",
})
export class SubmitOrdersInput {
  @Field(() => ChannelEnum)
  channel!: string;

  @Field(() => [GraphQLJSONObject], {
    nullable: true,
    description:
      'Each order exactly as the channel sends it (Taobao trade, JD order, Douyin shop order, web shop JSON). Fields the format does not have come back as UNKNOWN_FIELD warnings. At most 5,000 per call.',
  })
  orders?: Record<string, unknown>[] | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'The orders are history (an import of old orders, a catch-up after an outage). SLA deadlines that had already passed when they arrive are recorded as late in the stage records but raise no reminder, ticket or escalation. Without it, an order still open and late by less than SLA_RECENT_LATE_MINUTES (default one day) when it arrives is reminded as usual. New orders keep the mark; it does not change orders already held.',
  })
  backfill?: boolean | null;

  @Field(() => [WebshopOrderInput], {
    nullable: true,
    description:
      'Web shop orders, typed (channel WEBSHOP only): the same format and rules as the web shop JSON, and the same coded errors, under `webshopOrders[<index>]`. At most 5,000 per call.',
  })
  webshopOrders?: WebshopOrderInput[] | null;
}

/**
 * The payloads of a call and the name of the list they came in (errors are named after it), or
 * why the call names no list, or two.
 */
export function submittedPayloads(
  input: SubmitOrdersInput,
): { ok: true; list: 'orders' | 'webshopOrders'; payloads: unknown[] } | { ok: false; error: FieldError } {
  const { orders, webshopOrders } = input;
  if (orders != null && webshopOrders != null)
    return {
      ok: false,
      error: {
        field: 'webshopOrders',
        code: 'CONFLICTING_INPUT',
        message: 'give either orders or webshopOrders, not both',
      },
    };
  if (webshopOrders != null) {
    if (input.channel !== 'WEBSHOP')
      return {
        ok: false,
        error: {
          field: 'channel',
          code: 'CHANNEL_MISMATCH',
          message: 'webshopOrders are web shop orders: channel must be WEBSHOP',
        },
      };
    return { ok: true, list: 'webshopOrders', payloads: webshopPayloads(webshopOrders) };
  }
  if (orders == null)
    return {
      ok: false,
      error: { field: 'orders', code: 'REQUIRED', message: 'orders (or webshopOrders) is required' },
    };
  return { ok: true, list: 'orders', payloads: orders };
}

@ObjectType('OrderIntakeResult', { description: 'What happened to one submitted order.' })
export class OrderIntakeResultType {
  @Field(() => Int, { description: 'Position of the order in the submitted list.' })
  index!: number;

  @Field(() => ID)
  orderId!: string;

  @Field(() => String)
  channelOrderNo!: string;

  @Field(() => String, {
    description:
      'CREATED; UPDATED when something stored changed (the data of a newer payload, or a status that moved the order); UNCHANGED otherwise.',
  })
  outcome!: string;

  @Field(() => OrderStateEnum)
  state!: string;

  @Field(() => [UserError], {
    description:
      'Taken in, with something a person may want to see: STATUS_NOT_TAKEN (the lifecycle could not take the channel status; kept in the history with the reason), STATUS_PENDING (it waits for an earlier step), TOTAL_ABOVE_GOODS_AND_SHIPPING or PAID_BELOW_TOTAL (figures a marketplace may legitimately have), UNKNOWN_FIELD (a field the channel JSON does not have, not stored; `field` is its path) and UNKNOWN_FIELDS_OMITTED (more unknown fields than the 10 listed per order).',
  })
  warnings!: UserError[];
}

@ObjectType('SubmitOrdersPayload')
export class SubmitOrdersPayload {
  @Field(() => [OrderIntakeResultType], { description: 'One row per accepted order.' })
  results!: OrderIntakeResultType[];

  @Field(() => [UserError], {
    description:
      'One row per defect of a rejected order; `field` starts with `orders[<index>]`. Valid orders are committed regardless.',
  })
  userErrors!: UserError[];
}
