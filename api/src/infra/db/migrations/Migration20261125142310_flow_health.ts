import { Migration } from '@mikro-orm/migrations';

export class Migration20261125142310_flow_health extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "flow_health_event" ("id" bigserial primary key, "occurred_at" timestamptz not null, "from_mode" text not null, "to_mode" text not null, "trigger" text not null, "actor" text not null, "actor_id" text null, "reason" text not null, "parse_health" jsonb not null, "alert" text not null, "alert_target" text not null, "rerouted_orders" int null);`,
    );
    this.addSql(`create index "flow_health_event_occurred_idx" on "flow_health_event" ("occurred_at");`);

    this.addSql(
      `create table "flow_health_state" ("id" int not null, "routing_mode" text not null default 'ACTIVE', "reason" text null, "changed_at" timestamptz null, "changed_by" text null, "auto_resume" boolean not null default true, "last_checked_at" timestamptz null, constraint "flow_health_state_pkey" primary key ("id"), constraint flow_health_state_mode_check check (routing_mode in ('ACTIVE', 'PAUSED')), constraint flow_health_state_single_row check (id = 1));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "flow_health_event" cascade;`);

    this.addSql(`drop table if exists "flow_health_state" cascade;`);
  }
}
