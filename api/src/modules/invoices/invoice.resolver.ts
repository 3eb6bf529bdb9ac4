import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import { ReconciliationMoney } from '../reconciliation/reconciliation.types.js';
import { RECONCILIATION_READERS, RECONCILIATION_WRITERS } from '../reconciliation/reconciliation-access.js';
import { findInvoice, type InvoiceView, requestInvoice } from './invoice.service.js';

@ObjectType('Invoice', { description: 'An e-invoice for a reconciled order: REQUESTED → ISSUED or FAILED.' })
export class InvoiceType {
  @Field(() => ID) id!: string;
  @Field(() => ID) orderId!: string;
  @Field(() => String) state!: string;
  @Field(() => ReconciliationMoney) amount!: ReconciliationMoney;
  @Field(() => String, { nullable: true }) invoiceNo!: string | null;
  @Field(() => String, { nullable: true }) provider!: string | null;
  @Field(() => String, { nullable: true }) failure!: string | null;
  @Field(() => Date) requestedAt!: Date;
  @Field(() => Date, { nullable: true }) issuedAt!: Date | null;

  static from(v: InvoiceView): InvoiceType {
    return Object.assign(new InvoiceType(), {
      ...v,
      amount: ReconciliationMoney.of(v.amountCents, v.currency),
    });
  }
}

@ObjectType('InvoicePayload')
export class InvoicePayload {
  @Field(() => InvoiceType, { nullable: true }) invoice!: InvoiceType | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@Resolver(() => InvoiceType)
export class InvoiceResolver {
  @Authorized(...RECONCILIATION_READERS)
  @Query(() => InvoiceType, { nullable: true })
  async invoice(
    @Arg('orderId', () => ID) orderId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<InvoiceType | null> {
    if (!/^[0-9a-f-]{36}$/i.test(orderId)) return null;
    const found = await findInvoice(ctx.pool, orderId);
    return found ? InvoiceType.from(found) : null;
  }

  @Authorized(...RECONCILIATION_WRITERS)
  @Mutation(() => InvoicePayload, {
    description: 'Requests an e-invoice for a fully reconciled order (once per order).',
  })
  async requestInvoice(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('title', () => String) title: string,
    @Arg('taxNo', () => String, { nullable: true }) taxNo: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<InvoicePayload> {
    if (ctx.viewer.kind !== 'STAFF')
      throw new GraphQLError('staff only', { extensions: { code: 'FORBIDDEN' } });
    const result = await requestInvoice(ctx.pool, {
      orderId,
      title,
      taxNo: taxNo?.trim() || null,
      requestedBy: ctx.viewer.username,
      now: ctx.now,
    });
    return Object.assign(new InvoicePayload(), {
      invoice: result.ok ? InvoiceType.from(result.value) : null,
      userErrors: result.ok ? [] : result.errors.map((e) => UserError.from(e)),
    });
  }
}
