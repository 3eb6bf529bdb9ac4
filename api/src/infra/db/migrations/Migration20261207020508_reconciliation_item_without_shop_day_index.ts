import { Migration } from '@mikro-orm/migrations';

export class Migration20261207020508_reconciliation_item_without_shop_day_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index "reconciliation_item_shop_day_idx";`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `create index "reconciliation_item_shop_day_idx" on "reconciliation_item" ("shop", "business_date");`,
    );
  }
}
