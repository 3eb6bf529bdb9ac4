import { Migration } from '@mikro-orm/migrations';

export class Migration20261202172416_outbox_lanes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "outbox_lane" ("lane" text not null, "topic" text not null, "consecutive_failures" int not null default 0, "open_until" timestamptz null, "last_error" text null, "changed_at" timestamptz not null default now(), constraint "outbox_lane_pkey" primary key ("lane"));`,
    );

    // Messages written before lanes existed travel in their topic's lane.
    this.addSql(`alter table "outbox_message" add column "lane" text null;`);
    this.addSql(`update "outbox_message" set "lane" = "topic";`);
    this.addSql(`alter table "outbox_message" alter column "lane" set not null;`);
    this.addSql(
      `create index "outbox_message_lane_due_idx" on "outbox_message" ("lane", "available_at") where "delivered_at" is null and "dead_at" is null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "outbox_lane" cascade;`);

    this.addSql(`drop index "outbox_message_lane_due_idx";`);
    this.addSql(`alter table "outbox_message" drop column "lane";`);
  }
}
