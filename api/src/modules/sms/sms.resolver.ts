import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import { type SmsTemplateCode, TEMPLATE_PARAMS } from '../../domain/sms/sms-template.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import {
  SaveSmsTemplatePayload,
  SmsMessageType,
  SmsTemplateInput,
  SmsTemplatePreviewType,
  SmsTemplateType,
} from './sms.types.js';
import { listTemplates, previewTemplate, type StoredTemplate, saveTemplate } from './sms-template.store.js';

const toTemplate = (t: StoredTemplate) =>
  Object.assign(new SmsTemplateType(), {
    ...t,
    parameters: [...(TEMPLATE_PARAMS[t.code as SmsTemplateCode] ?? [])],
  });

@Resolver()
export class SmsResolver {
  @Authorized('OPS', 'SERVICE', 'SUPERVISOR')
  @Query(() => [SmsMessageType], { description: 'The latest SMS, newest first (at most 200).' })
  async smsMessages(
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SmsMessageType[]> {
    const { rows } = await ctx.pool.query(
      `select id, phone_masked, template_code, preview, status, provider, created_at, send_after, sent_at
         from sms_message order by created_at desc, id desc limit $1`,
      [Math.min(Math.max(first, 0), 200)],
    );
    return rows.map((r) =>
      Object.assign(new SmsMessageType(), {
        id: r.id,
        phone: r.phone_masked,
        template: r.template_code,
        text: r.preview,
        status: r.status,
        provider: r.provider,
        createdAt: r.created_at,
        sendAfter: r.send_after,
        sentAt: r.sent_at,
      }),
    );
  }

  @Authorized('OPS', 'SERVICE', 'SUPERVISOR')
  @Query(() => [SmsTemplateType])
  async smsTemplates(@Ctx() ctx: GraphQLContext): Promise<SmsTemplateType[]> {
    return (await listTemplates(ctx.pool)).map(toTemplate);
  }

  @Authorized('OPS', 'SERVICE', 'SUPERVISOR')
  @Query(() => SmsTemplatePreviewType, {
    description: 'What an edited template would send, with sample values.',
  })
  previewSmsTemplate(@Arg('input', () => SmsTemplateInput) input: SmsTemplateInput): SmsTemplatePreviewType {
    const preview = previewTemplate(input);
    return Object.assign(new SmsTemplatePreviewType(), {
      text: preview.text,
      userErrors: preview.errors.map((e) => UserError.from(e)),
    });
  }

  @Authorized('OPS')
  @Mutation(() => SaveSmsTemplatePayload, {
    description: 'Saves a template edit as its next version; used by the next SMS.',
  })
  async saveSmsTemplate(
    @Arg('input', () => SmsTemplateInput) input: SmsTemplateInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SaveSmsTemplatePayload> {
    const by = ctx.viewer.kind === 'STAFF' ? ctx.viewer.username : 'unknown';
    const saved = await saveTemplate(ctx.pool, input, by, ctx.now);
    return Object.assign(new SaveSmsTemplatePayload(), {
      template: saved.ok ? toTemplate(saved.template) : null,
      userErrors: saved.ok ? [] : saved.errors.map((e) => UserError.from(e)),
    });
  }
}
