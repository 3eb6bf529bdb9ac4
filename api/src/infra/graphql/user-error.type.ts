import { Field, ObjectType } from 'type-graphql';
import type { FieldError } from '../../domain/shared/result.js';

/** An expected failure of a mutation, named by the input field that caused it. */
@ObjectType({ description: 'An expected failure of a mutation, named by the input field that caused it.' })
export class UserError {
  @Field(() => String, { description: 'Dotted path of the input field, e.g. `orders[3].receiver_mobile`.' })
  field!: string;

  @Field(() => String, { description: 'A sentence an operator can act on.' })
  message!: string;

  @Field(() => String, { description: 'Stable machine-readable code, e.g. `REQUIRED`, `INVALID_MONEY`.' })
  code!: string;

  static from(error: FieldError, prefix = ''): UserError {
    return Object.assign(new UserError(), {
      ...error,
      field: prefix ? `${prefix}.${error.field}` : error.field,
    });
  }
}
