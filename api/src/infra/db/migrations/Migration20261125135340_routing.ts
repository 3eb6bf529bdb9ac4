import { Migration } from '@mikro-orm/migrations';

export class Migration20261125135340_routing extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "address_parse_stat" ("bucket_start" timestamptz not null, "channel" text not null, "ok_count" int not null default 0, "failed_count" int not null default 0, constraint "address_parse_stat_pkey" primary key ("bucket_start", "channel"));`,
    );

    this.addSql(
      `create table "processing_group" ("id" text not null, "name" text not null, "owner_user_id" uuid null, "owner_name" text null, "owner_mobile" text null, "supervisor_user_id" uuid null, "supervisor_name" text null, "supervisor_mobile" text null, "wecom_webhook_url" text null, "capacity" int null, "active" boolean not null default true, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "processing_group_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "routing_rule_hit" ("day" date not null, "rule_id" text not null, "count" int not null default 0, constraint "routing_rule_hit_pkey" primary key ("day", "rule_id"));`,
    );

    this.addSql(
      `create table "routing_rule_set_version" ("version" int not null, "rules" jsonb not null, "default_group_id" text not null, "created_by" text not null, "created_at" timestamptz not null default now(), "comment" text null, "active" boolean not null default false, constraint "routing_rule_set_version_pkey" primary key ("version"));`,
    );
    this.addSql(
      `create unique index "routing_rule_set_version_one_active" on "routing_rule_set_version" ("active") where "active";`,
    );

    this.addSql(
      `alter table "orders" add column "routing_rule_id" text null, add column "routing_reason" text null, add column "routed_at" timestamptz null, add column "address_parse" jsonb null;`,
    );
    this.addSql(
      `create index "orders_held_idx" on "orders" ("hold_reason") where "hold_reason" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "address_parse_stat" cascade;`);

    this.addSql(`drop table if exists "processing_group" cascade;`);

    this.addSql(`drop table if exists "routing_rule_hit" cascade;`);

    this.addSql(`drop table if exists "routing_rule_set_version" cascade;`);

    this.addSql(`drop index "orders_held_idx";`);
    this.addSql(
      `alter table "orders" drop column "routing_rule_id", drop column "routing_reason", drop column "routed_at", drop column "address_parse";`,
    );
  }
}
