import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { PARTNER_SCOPES, STAFF_ROLES } from '../../domain/auth/viewer.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import { ChannelEnum } from '../orders/order.type.js';

export const StaffRoleEnum = Object.fromEntries(STAFF_ROLES.map((r) => [r, r])) as Record<string, string>;
registerEnumType(StaffRoleEnum, { name: 'StaffRole', description: 'What a member of staff may do.' });
export const PartnerScopeEnum = Object.fromEntries(
  PARTNER_SCOPES.map((s) => [s.replace(':', '_').toUpperCase(), s]),
) as Record<string, string>;
registerEnumType(PartnerScopeEnum, { name: 'PartnerScope', description: 'What a partner API key may do.' });

@ObjectType('StaffUser')
export class StaffUserType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  username!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => [StaffRoleEnum])
  roles!: string[];
}

@ObjectType('LoginPayload')
export class LoginPayload {
  @Field(() => String, {
    nullable: true,
    description: 'Send as `Authorization: Bearer <token>`; valid 12 hours.',
  })
  token!: string | null;

  @Field(() => StaffUserType, { nullable: true })
  user!: StaffUserType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('ApiClient', {
  description: 'A partner application key. The key itself is shown only once, at creation.',
})
export class ApiClientType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'First characters of the key, to tell keys apart.' })
  keyPrefix!: string;

  @Field(() => [ChannelEnum])
  channels!: string[];

  @Field(() => [PartnerScopeEnum])
  scopes!: string[];

  @Field(() => Boolean)
  active!: boolean;

  @Field(() => GraphQLDateTime)
  createdAt!: Date;
}

@InputType()
export class CreateApiClientInput {
  @Field(() => String)
  name!: string;

  @Field(() => [ChannelEnum], { description: 'The only channels whose orders this key can see or write.' })
  channels!: string[];

  @Field(() => [PartnerScopeEnum])
  scopes!: string[];
}

@ObjectType('CreateApiClientPayload')
export class CreateApiClientPayload {
  @Field(() => ApiClientType, { nullable: true })
  client!: ApiClientType | null;

  @Field(() => String, {
    nullable: true,
    description: 'The API key: store it now, it cannot be shown again.',
  })
  apiKey!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class CreateStaffUserInput {
  @Field(() => String)
  username!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => String, { description: 'At least 10 characters.' })
  password!: string;

  @Field(() => [StaffRoleEnum])
  roles!: string[];

  @Field(() => String, { nullable: true, description: 'Mobile for WeCom mentions.' })
  mobile?: string | null;
}

@ObjectType('CreateStaffUserPayload')
export class CreateStaffUserPayload {
  @Field(() => StaffUserType, { nullable: true })
  user!: StaffUserType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
