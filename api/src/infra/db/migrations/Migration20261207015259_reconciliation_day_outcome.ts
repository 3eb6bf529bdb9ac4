import { Migration } from '@mikro-orm/migrations';

export class Migration20261207015259_reconciliation_day_outcome extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "reconciliation_day_outcome" ("shop" text not null, "merge_day" date not null, "business_date" date not null, "outcome" text not null, "n" int not null, "run_id" uuid not null, "counted_at" timestamptz not null, constraint "reconciliation_day_outcome_pkey" primary key ("shop", "merge_day", "business_date", "outcome"));`,
    );
    this.addSql(
      `create index "reconciliation_day_outcome_day_idx" on "reconciliation_day_outcome" ("shop", "business_date");`,
    );
    // The counts the daily report showed, kept: every item a run left, counted on its own day.
    this.addSql(
      `insert into "reconciliation_day_outcome" ("shop", "merge_day", "business_date", "outcome", "n", "run_id", "counted_at")
       select "shop", "business_date", "business_date", "outcome", count(*), (array_agg("last_run_id"))[1], max("updated_at")
         from "reconciliation_item" group by "shop", "business_date", "outcome";`,
    );
    // Matched payments are counted there now, not kept as items.
    this.addSql(`delete from "reconciliation_item" where "outcome" = 'MATCHED' and "state" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "reconciliation_day_outcome" cascade;`);
  }
}
