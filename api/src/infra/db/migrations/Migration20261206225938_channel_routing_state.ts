import { Migration } from '@mikro-orm/migrations';

export class Migration20261206225938_channel_routing_state extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "channel_routing_state" ("channel" text not null, "routing_mode" text check ("routing_mode" in ('ACTIVE', 'PAUSED')) not null default 'ACTIVE', "reason" text null, "changed_at" timestamptz null, "changed_by" text null, "auto_resume" boolean not null default true, constraint "channel_routing_state_pkey" primary key ("channel"));`,
    );

    this.addSql(`alter table "flow_health_event" add column "channel" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "channel_routing_state" cascade;`);

    this.addSql(`alter table "flow_health_event" drop column "channel";`);
  }
}
