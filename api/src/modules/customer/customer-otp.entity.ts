import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** The one live login code of a phone (by keyed digest); a new request replaces it. */
@Entity({ tableName: 'customer_otp' })
export class CustomerOtp {
  @PrimaryKey({ type: 'text' })
  phoneDigest!: string;

  /** HMAC-SHA256 of the code; it lives five minutes and allows five tries, so a slow hash buys nothing. */
  @Property({ type: 'text' })
  codeDigest!: string;

  @Property({ type: 'timestamptz' })
  sentAt!: Date;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'integer', default: 0 })
  failedAttempts!: number;

  /** Set when the tries ran out; no new code before it. */
  @Property({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;
}

/** Every code request, for the per-phone and per-address limits. */
@Entity({ tableName: 'customer_otp_request' })
@Index({ name: 'customer_otp_request_phone_idx', properties: ['phoneDigest', 'requestedAt'] })
@Index({ name: 'customer_otp_request_address_idx', properties: ['clientAddress', 'requestedAt'] })
export class CustomerOtpRequest {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'text' })
  phoneDigest!: string;

  @Property({ type: 'text' })
  clientAddress!: string;

  @Property({ type: 'timestamptz' })
  requestedAt!: Date;
}

/** Every customer lookup and login step, for audit. Masked phone only. */
@Entity({ tableName: 'customer_audit' })
@Index({ name: 'customer_audit_phone_idx', properties: ['phoneDigest', 'at'] })
export class CustomerAudit {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'text' })
  phoneDigest!: string;

  @Property({ type: 'text' })
  phoneMasked!: string;

  /** `CODE_REQUESTED`, `CODE_REFUSED`, `CODE_VERIFIED`, `CODE_WRONG`, `LOCKED`, `ORDERS_VIEWED`, `SUBSCRIBED`. */
  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text', nullable: true })
  clientAddress!: string | null;

  /** Orders shown, for `ORDERS_VIEWED`. */
  @Property({ type: 'integer', nullable: true })
  orderCount!: number | null;

  @Property({ type: 'timestamptz' })
  at!: Date;
}

/** Keys of the customer module (token signing, phone digests), created on first start. */
@Entity({ tableName: 'customer_key' })
export class CustomerKey {
  @PrimaryKey({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  value!: string;
}
