import { Migration } from '@mikro-orm/migrations';

export class Migration20261202173115_tracking_shipments_sms_customers extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "customer_audit" ("id" bigserial primary key, "phone_digest" text not null, "phone_masked" text not null, "action" text not null, "client_address" text null, "order_count" int null, "at" timestamptz not null);`,
    );
    this.addSql(`create index "customer_audit_phone_idx" on "customer_audit" ("phone_digest", "at");`);

    this.addSql(
      `create table "customer_key" ("name" text not null, "value" text not null, constraint "customer_key_pkey" primary key ("name"));`,
    );

    this.addSql(
      `create table "customer_otp" ("phone_digest" text not null, "code_digest" text not null, "sent_at" timestamptz not null, "expires_at" timestamptz not null, "failed_attempts" int not null default 0, "locked_until" timestamptz null, constraint "customer_otp_pkey" primary key ("phone_digest"));`,
    );

    this.addSql(
      `create table "customer_otp_request" ("id" bigserial primary key, "phone_digest" text not null, "client_address" text not null, "requested_at" timestamptz not null);`,
    );
    this.addSql(
      `create index "customer_otp_request_address_idx" on "customer_otp_request" ("client_address", "requested_at");`,
    );
    this.addSql(
      `create index "customer_otp_request_phone_idx" on "customer_otp_request" ("phone_digest", "requested_at");`,
    );

    this.addSql(
      `create table "shipment" ("id" uuid not null default gen_random_uuid(), "order_id" uuid not null, "carrier" text not null, "waybill_no" text not null, "state" text not null, "state_at" timestamptz null, "last_event_at" timestamptz null, "shipped_at" timestamptz null, "delivered_at" timestamptz null, "eta" timestamptz null, "origin_province" text null, "destination_province" text null, "next_stall_check_at" timestamptz null, "stalled_since" timestamptz null, "stall_reason" text null, "stall_count" int not null default 0, "subscribed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "shipment_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "shipment_route_delivered_idx" on "shipment" ("carrier", "origin_province", "destination_province", "delivered_at");`,
    );
    this.addSql(
      `create index "shipment_stall_check_idx" on "shipment" ("next_stall_check_at") where "next_stall_check_at" is not null;`,
    );
    this.addSql(`create index "shipment_order_idx" on "shipment" ("order_id");`);
    this.addSql(
      `alter table "shipment" add constraint "shipment_carrier_waybill_unique" unique ("carrier", "waybill_no");`,
    );

    this.addSql(
      `create table "shipment_trace" ("id" bigserial primary key, "shipment_id" uuid not null, "entry_key" text not null, "occurred_at" timestamptz not null, "description" text not null, "location" text null, "source" text not null, "carrier_code" int null, "state" text null, "received_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "shipment_trace_time_idx" on "shipment_trace" ("shipment_id", "occurred_at");`);
    this.addSql(
      `alter table "shipment_trace" add constraint "shipment_trace_entry_unique" unique ("shipment_id", "entry_key");`,
    );

    this.addSql(
      `create table "sms_message" ("id" uuid not null default gen_random_uuid(), "dedupe_key" text not null, "phone_digest" text not null, "phone_masked" text not null, "template_code" text not null, "preview" text not null, "status" text not null, "provider" text null, "provider_message_id" text null, "created_at" timestamptz not null, "send_after" timestamptz not null, "sent_at" timestamptz null, constraint "sms_message_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "sms_message_created_idx" on "sms_message" ("created_at", "id");`);
    this.addSql(`create index "sms_message_phone_idx" on "sms_message" ("phone_digest", "created_at");`);
    this.addSql(
      `alter table "sms_message" add constraint "sms_message_dedupe_unique" unique ("dedupe_key");`,
    );

    this.addSql(
      `create table "sms_template" ("code" text not null, "provider_template_code" text not null, "text" text not null, "version" int not null default 1, "updated_by" text not null, "updated_at" timestamptz not null default now(), constraint "sms_template_pkey" primary key ("code"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "customer_audit" cascade;`);

    this.addSql(`drop table if exists "customer_key" cascade;`);

    this.addSql(`drop table if exists "customer_otp" cascade;`);

    this.addSql(`drop table if exists "customer_otp_request" cascade;`);

    this.addSql(`drop table if exists "shipment" cascade;`);

    this.addSql(`drop table if exists "shipment_trace" cascade;`);

    this.addSql(`drop table if exists "sms_message" cascade;`);

    this.addSql(`drop table if exists "sms_template" cascade;`);
  }
}
