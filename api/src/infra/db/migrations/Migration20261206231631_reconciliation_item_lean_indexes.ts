import { Migration } from '@mikro-orm/migrations';

export class Migration20261206231631_reconciliation_item_lean_indexes extends Migration {
  override async up(): Promise<void> {
    // Matched items (most of them) have no state and no place in the queue's index.
    this.addSql(`drop index "reconciliation_item_queue_idx";`);
    this.addSql(
      `create index "reconciliation_item_queue_idx" on "reconciliation_item" ("state", "business_date", "id") where "state" is not null;`,
    );
    this.addSql(`drop index "reconciliation_item_record_idx";`);
    this.addSql(
      `create index "reconciliation_item_record_idx" on "reconciliation_item" ("record_id") where "record_id" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "reconciliation_item_queue_idx";`);
    this.addSql(
      `create index "reconciliation_item_queue_idx" on "reconciliation_item" ("state", "business_date", "id");`,
    );
    this.addSql(`drop index "reconciliation_item_record_idx";`);
    this.addSql(`create index "reconciliation_item_record_idx" on "reconciliation_item" ("record_id");`);
  }
}
