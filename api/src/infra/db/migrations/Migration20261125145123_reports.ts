import { Migration } from '@mikro-orm/migrations';

export class Migration20261125145123_reports extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "freshness_alert" ("id" bigserial primary key, "occurred_at" timestamptz not null, "stage" text not null, "source" text not null, "state" text not null, "window_minutes" int not null, "sample_count" int not null, "share_within_target" double precision null, "p90_seconds" double precision null, "target_seconds" int not null, "alert" text not null, "alert_target" text not null);`,
    );
    this.addSql(
      `create index "freshness_alert_source_idx" on "freshness_alert" ("stage", "source", "occurred_at");`,
    );

    this.addSql(
      `create table "timeout_report_snapshot" ("day" date not null, "generated_at" timestamptz not null, "rows" jsonb not null, constraint "timeout_report_snapshot_pkey" primary key ("day"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "freshness_alert" cascade;`);

    this.addSql(`drop table if exists "timeout_report_snapshot" cascade;`);
  }
}
