import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { UserError } from '../../infra/graphql/user-error.type.js';

@ObjectType('SmsMessage', {
  description: 'An SMS the platform sent or will send; the phone is masked, a login code hidden.',
})
export class SmsMessageType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'e.g. 138****1234' })
  phone!: string;

  @Field(() => String, { description: '`LOGIN_CODE`, `STALL_NOTICE`.' })
  template!: string;

  @Field(() => String, { description: 'The text as sent, a login code shown as ******.' })
  text!: string;

  @Field(() => String, { description: '`PENDING`, `SENT` or `FAILED`.' })
  status!: string;

  @Field(() => String, { nullable: true, description: '`recording` (kept, not sent) or `http`.' })
  provider!: string | null;

  @Field(() => GraphQLDateTime)
  createdAt!: Date;

  @Field(() => GraphQLDateTime, {
    description: 'Not before this time: SMS decided in quiet hours wait for 08:00.',
  })
  sendAfter!: Date;

  @Field(() => GraphQLDateTime, { nullable: true })
  sentAt!: Date | null;
}

@ObjectType('SmsTemplate', { description: 'An SMS template operators edit.' })
export class SmsTemplateType {
  @Field(() => String)
  code!: string;

  @Field(() => String, { description: "The gateway's approved template code." })
  providerTemplateCode!: string;

  @Field(() => String, { description: 'The approved wording, with `{name}` placeholders.' })
  text!: string;

  @Field(() => [String], { description: 'The placeholders the text must use.' })
  parameters!: string[];

  @Field(() => Number, { description: '0 for the built-in default.' })
  version!: number;

  @Field(() => String)
  updatedBy!: string;
}

@InputType('SmsTemplateInput')
export class SmsTemplateInput {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  providerTemplateCode!: string;

  @Field(() => String)
  text!: string;
}

@ObjectType('SaveSmsTemplatePayload')
export class SaveSmsTemplatePayload {
  @Field(() => SmsTemplateType, { nullable: true })
  template!: SmsTemplateType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('SmsTemplatePreview')
export class SmsTemplatePreviewType {
  @Field(() => String, {
    nullable: true,
    description: 'The text with sample parameters; null when the edit would be refused.',
  })
  text!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
