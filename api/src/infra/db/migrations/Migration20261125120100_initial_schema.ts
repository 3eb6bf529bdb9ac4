import { Migration } from '@mikro-orm/migrations';

export class Migration20261125120100_initial_schema extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "orders" ("id" uuid not null default gen_random_uuid(), "channel" text not null, "channel_order_no" text not null, "business_type" text not null, "state" text not null, "channel_status" text not null, "ordered_at" timestamptz not null, "paid_at" timestamptz null, "source_updated_at" timestamptz not null, "goods_cents" bigint not null, "shipping_cents" bigint not null, "total_cents" bigint not null, "paid_cents" bigint not null, "presale" jsonb null, "buyer_name" text not null, "buyer_phone" text not null, "address" jsonb not null, "region" jsonb null, "items" jsonb not null, "payment_no" text null, "group_id" text null, "owner_id" text null, "state_entered_at" jsonb not null default '{}', "abnormal" boolean not null default false, "hold_reason" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, constraint "orders_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "orders_buyer_phone_idx" on "orders" ("buyer_phone");`);
    this.addSql(`create index "orders_group_idx" on "orders" ("group_id");`);
    this.addSql(`create index "orders_channel_created_idx" on "orders" ("channel", "ordered_at", "id");`);
    this.addSql(`create index "orders_state_idx" on "orders" ("state");`);
    this.addSql(
      `alter table "orders" add constraint "orders_channel_order_no_unique" unique ("channel", "channel_order_no");`,
    );

    this.addSql(
      `create table "order_event" ("id" bigserial primary key, "order_id" uuid not null, "source" text not null, "type" text not null, "idempotency_key" text not null, "occurred_at" timestamptz not null, "received_at" timestamptz not null default now(), "outcome" text not null, "from_state" text null, "to_state" text null, "reason" text null, "payload" jsonb not null default '{}');`,
    );
    this.addSql(`create index "order_event_order_idx" on "order_event" ("order_id", "occurred_at");`);
    this.addSql(
      `alter table "order_event" add constraint "order_event_idempotency_unique" unique ("order_id", "idempotency_key");`,
    );

    this.addSql(
      `create table "outbox_message" ("id" bigserial primary key, "topic" text not null, "dedupe_key" text not null, "payload" jsonb not null, "created_at" timestamptz not null default now(), "available_at" timestamptz not null default now(), "attempts" int not null default 0, "last_error" text null, "delivered_at" timestamptz null, "delivered_by" text null, "dead_at" timestamptz null);`,
    );
    this.addSql(
      `alter table "outbox_message" add constraint "outbox_message_dedupe_key_unique" unique ("dedupe_key");`,
    );
    this.addSql(
      `create index "outbox_message_due_idx" on "outbox_message" ("available_at") where "delivered_at" is null and "dead_at" is null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "orders" cascade;`);

    this.addSql(`drop table if exists "order_event" cascade;`);

    this.addSql(`drop table if exists "outbox_message" cascade;`);
  }
}
