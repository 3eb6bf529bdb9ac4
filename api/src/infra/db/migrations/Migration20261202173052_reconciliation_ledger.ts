import { Migration } from '@mikro-orm/migrations';

export class Migration20261202173052_reconciliation_ledger extends Migration {
  override async up(): Promise<void> {
    this.addSql('create sequence if not exists "invoice_local_no_seq";');
    this.addSql(
      `create table "bill_import" ("id" uuid not null default gen_random_uuid(), "format" text not null, "channel" text not null, "file_name" text not null, "sha256" text not null, "bytes" bigint not null, "lines" int not null, "entries" int not null, "inserted" int not null, "imported_by" text not null, "imported_at" timestamptz not null, constraint "bill_import_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "bill_import" add constraint "bill_import_sha256_unique" unique ("sha256");`);

    this.addSql(
      `create table "invoice" ("id" uuid not null default gen_random_uuid(), "order_id" uuid not null, "state" text not null, "amount_cents" bigint not null, "currency" text not null, "title" text not null, "tax_no" text null, "invoice_no" text null, "provider" text null, "failure" text null, "requested_by" text not null, "requested_at" timestamptz not null, "issued_at" timestamptz null, constraint "invoice_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "invoice_state_idx" on "invoice" ("state", "requested_at");`);
    this.addSql(`alter table "invoice" add constraint "invoice_order_unique" unique ("order_id");`);

    this.addSql(
      `create table "money_record" ("id" uuid not null default gen_random_uuid(), "kind" text not null, "gateway" text not null, "record_no" text not null, "payment_no" text null, "channel" text not null, "merchant_order_no" text null, "part" text null, "line_type" text null, "amount_cents" bigint not null, "fee_cents" bigint null, "currency" text not null, "occurred_at" timestamptz not null, "bill_import_id" uuid null, "source_line" int null, "created_at" timestamptz not null default now(), constraint "money_record_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "money_record_occurred_idx" on "money_record" ("occurred_at");`);
    this.addSql(
      `create index "money_record_order_key_idx" on "money_record" ("channel", "merchant_order_no");`,
    );
    this.addSql(
      `alter table "money_record" add constraint "money_record_source_unique" unique ("gateway", "kind", "record_no");`,
    );

    this.addSql(
      `create table "reconciliation_audit" ("id" bigserial primary key, "item_id" uuid not null, "action" text not null, "actor" text not null, "from_state" text null, "to_state" text null, "note" text null, "at" timestamptz not null);`,
    );
    this.addSql(`create index "reconciliation_audit_item_idx" on "reconciliation_audit" ("item_id", "at");`);

    this.addSql(
      `create table "reconciliation_item" ("id" uuid not null default gen_random_uuid(), "item_key" text not null, "outcome" text not null, "state" text null, "order_id" uuid null, "record_id" uuid null, "shop" text not null, "channel" text not null, "channel_order_no" text null, "gateway" text null, "payment_no" text null, "expected_cents" bigint null, "actual_cents" bigint null, "currency" text not null default 'CNY', "business_date" date not null, "last_run_id" uuid not null, "assignee" text null, "found_at" timestamptz not null, "updated_at" timestamptz not null, constraint "reconciliation_item_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "reconciliation_item_record_idx" on "reconciliation_item" ("record_id");`);
    this.addSql(`create index "reconciliation_item_order_idx" on "reconciliation_item" ("order_id");`);
    this.addSql(
      `create index "reconciliation_item_shop_day_idx" on "reconciliation_item" ("shop", "business_date");`,
    );
    this.addSql(
      `create index "reconciliation_item_queue_idx" on "reconciliation_item" ("state", "business_date", "id");`,
    );
    this.addSql(
      `alter table "reconciliation_item" add constraint "reconciliation_item_key_unique" unique ("item_key");`,
    );

    this.addSql(
      `create table "reconciliation_run" ("id" uuid not null default gen_random_uuid(), "shop" text null, "from_date" date not null, "to_date" date not null, "trigger" text not null, "started_by" text not null, "state" text not null, "days_done" int not null default 0, "days_total" int not null, "counts" jsonb not null default '{}', "settings" jsonb not null, "error" text null, "started_at" timestamptz not null, "finished_at" timestamptz null, "duration_ms" int null, constraint "reconciliation_run_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "reconciliation_run_started_idx" on "reconciliation_run" ("started_at");`);
  }

  override async down(): Promise<void> {
    this.addSql('drop sequence if exists "invoice_local_no_seq";');
    this.addSql(`drop table if exists "bill_import" cascade;`);

    this.addSql(`drop table if exists "invoice" cascade;`);

    this.addSql(`drop table if exists "money_record" cascade;`);

    this.addSql(`drop table if exists "reconciliation_audit" cascade;`);

    this.addSql(`drop table if exists "reconciliation_item" cascade;`);

    this.addSql(`drop table if exists "reconciliation_run" cascade;`);
  }
}
