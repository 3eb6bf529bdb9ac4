import { Migration } from '@mikro-orm/migrations';

export class Migration20261125122925_order_list_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index "orders_group_idx";`);
    this.addSql(`drop index "orders_state_idx";`);

    this.addSql(
      `create index "orders_abnormal_ordered_idx" on "orders" ("ordered_at", "id") where "abnormal";`,
    );
    this.addSql(`create index "orders_paid_idx" on "orders" ("paid_at");`);
    this.addSql(`create index "orders_group_ordered_idx" on "orders" ("group_id", "ordered_at", "id");`);
    this.addSql(`create index "orders_state_ordered_idx" on "orders" ("state", "ordered_at", "id");`);
    this.addSql(`create index "orders_ordered_idx" on "orders" ("ordered_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "orders_abnormal_ordered_idx";`);
    this.addSql(`drop index "orders_paid_idx";`);
    this.addSql(`drop index "orders_group_ordered_idx";`);
    this.addSql(`drop index "orders_state_ordered_idx";`);
    this.addSql(`drop index "orders_ordered_idx";`);

    this.addSql(`create index "orders_group_idx" on "orders" ("group_id");`);
    this.addSql(`create index "orders_state_idx" on "orders" ("state");`);
  }
}
