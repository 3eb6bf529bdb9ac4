import { Migration } from '@mikro-orm/migrations';

export class Migration20261206230502_discrepancy_list_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "reconciliation_item_discrepancy_idx" on "reconciliation_item" ("business_date", "id") where "state" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "reconciliation_item_discrepancy_idx";`);
  }
}
