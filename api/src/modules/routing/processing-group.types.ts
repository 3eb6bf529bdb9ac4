import { GraphQLDateTime } from 'graphql-scalars';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../infra/graphql/user-error.type.js';

@ObjectType('ProcessingGroup', {
  description:
    'A team that works orders. Mobiles are shown in clear to ADMIN, OPS and SUPERVISOR and masked (138****5678) for others; the robot key only to ADMIN and OPS.',
})
export class ProcessingGroupType {
  @Field(() => String, { description: 'Slug referenced by routing rules, e.g. `east-china`.' })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Staff account that owns new orders of the group.' })
  ownerUserId!: string | null;

  @Field(() => String, { nullable: true })
  ownerName!: string | null;

  @Field(() => String, { nullable: true })
  ownerMobile!: string | null;

  @Field(() => String, { nullable: true })
  supervisorUserId!: string | null;

  @Field(() => String, { nullable: true })
  supervisorName!: string | null;

  @Field(() => String, { nullable: true })
  supervisorMobile!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'WeCom group robot; its key is masked for most roles.',
  })
  wecomWebhookUrl!: string | null;

  @Field(() => Int, { nullable: true, description: 'Open orders the group can hold.' })
  capacity!: number | null;

  @Field(() => Boolean, { description: 'Inactive groups receive no orders from rules.' })
  active!: boolean;

  @Field(() => GraphQLDateTime)
  updatedAt!: Date;
}

@InputType({ description: 'A processing group, created or replaced whole by its id.' })
export class ProcessingGroupInput {
  @Field(() => String, { description: 'Lower-case letters, digits and hyphens, at most 40.' })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  ownerUserId?: string | null;

  @Field(() => String, { nullable: true })
  ownerName?: string | null;

  @Field(() => String, { nullable: true, description: 'Mainland mobile; +86, spaces and dashes allowed.' })
  ownerMobile?: string | null;

  @Field(() => String, { nullable: true })
  supervisorUserId?: string | null;

  @Field(() => String, { nullable: true })
  supervisorName?: string | null;

  @Field(() => String, { nullable: true })
  supervisorMobile?: string | null;

  @Field(() => String, { nullable: true, description: 'https URL of the group chat robot.' })
  wecomWebhookUrl?: string | null;

  @Field(() => Int, { nullable: true })
  capacity?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Defaults to true.' })
  active?: boolean | null;
}

@ObjectType('UpsertProcessingGroupPayload')
export class UpsertProcessingGroupPayload {
  @Field(() => ProcessingGroupType, { nullable: true, description: 'The group as saved; null on error.' })
  group!: ProcessingGroupType | null;

  @Field(() => [UserError], { description: 'Why nothing was saved; `field` names the input field.' })
  userErrors!: UserError[];
}
