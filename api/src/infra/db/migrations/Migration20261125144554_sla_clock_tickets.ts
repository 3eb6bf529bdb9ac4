import { Migration } from '@mikro-orm/migrations';

export class Migration20261125144554_sla_clock_tickets extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "sla_policy_version" ("id" bigserial primary key, "policy_key" text not null, "business_type" text not null, "channel" text null, "group_id" text null, "version" int not null, "definition" jsonb not null, "created_by" text not null, "created_at" timestamptz not null default now(), "comment" text null, "active" boolean not null default false);`,
    );
    this.addSql(
      `create unique index "sla_policy_version_one_active" on "sla_policy_version" ("policy_key") where "active";`,
    );
    this.addSql(
      `alter table "sla_policy_version" add constraint "sla_policy_version_key_version_unique" unique ("policy_key", "version");`,
    );

    this.addSql(
      `create table "sla_stage_record" ("id" bigserial primary key, "order_id" uuid not null, "stage" text not null, "group_id" text null, "owner_id" text null, "started_at" timestamptz not null, "deadline" timestamptz not null, "finished_at" timestamptz null, "max_level" int not null default 0, "policy_key" text not null, "policy_version" int not null);`,
    );
    this.addSql(`create index "sla_stage_record_deadline_idx" on "sla_stage_record" ("deadline");`);
    this.addSql(`create index "sla_stage_record_finished_idx" on "sla_stage_record" ("finished_at");`);
    this.addSql(
      `alter table "sla_stage_record" add constraint "sla_stage_record_order_stage_unique" unique ("order_id", "stage");`,
    );

    this.addSql(
      `create table "ticket" ("id" uuid not null default gen_random_uuid(), "order_id" uuid not null, "stage" text not null, "level" int not null, "deadline" timestamptz not null, "group_id" text null, "assignee_user_id" text null, "assignee_name" text null, "state" text not null, "resolution" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "acknowledged_at" timestamptz null, "acknowledged_by" text null, "resolved_at" timestamptz null, "resolved_by" text null, "escalated_at" timestamptz null, "escalated_to_ticket_id" uuid null, constraint "ticket_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "ticket_assignee_created_idx" on "ticket" ("assignee_user_id", "created_at", "id");`,
    );
    this.addSql(`create index "ticket_group_created_idx" on "ticket" ("group_id", "created_at", "id");`);
    this.addSql(`create index "ticket_created_idx" on "ticket" ("created_at", "id");`);
    this.addSql(
      `alter table "ticket" add constraint "ticket_order_stage_level_unique" unique ("order_id", "stage", "level");`,
    );

    this.addSql(
      `create table "ticket_comment" ("id" bigserial primary key, "ticket_id" uuid not null, "author_user_id" text not null, "author_name" text not null, "text" text not null, "created_at" timestamptz not null);`,
    );
    this.addSql(`create index "ticket_comment_ticket_idx" on "ticket_comment" ("ticket_id", "created_at");`);

    this.addSql(
      `alter table "orders" add column "sla_next_check_at" timestamptz null, add column "sla_stage" text null, add column "sla_deadline" timestamptz null, add column "escalation_level" int not null default 0, add column "escalation_stage" text null, add column "sla_policy_key" text null, add column "sla_policy_version" int null;`,
    );
    this.addSql(
      `create index "orders_sla_next_check_idx" on "orders" ("sla_next_check_at") where "sla_next_check_at" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "sla_policy_version" cascade;`);

    this.addSql(`drop table if exists "sla_stage_record" cascade;`);

    this.addSql(`drop table if exists "ticket" cascade;`);

    this.addSql(`drop table if exists "ticket_comment" cascade;`);

    this.addSql(`drop index "orders_sla_next_check_idx";`);
    this.addSql(
      `alter table "orders" drop column "sla_next_check_at", drop column "sla_stage", drop column "sla_deadline", drop column "escalation_level", drop column "escalation_stage", drop column "sla_policy_key", drop column "sla_policy_version";`,
    );
  }
}
