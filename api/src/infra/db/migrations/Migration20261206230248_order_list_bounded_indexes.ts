import { Migration } from '@mikro-orm/migrations';

export class Migration20261206230248_order_list_bounded_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index "orders_buyer_phone_idx";`);
    this.addSql(`drop index "orders_paid_idx";`);

    this.addSql(`create index "orders_buyer_phone_idx" on "orders" ("buyer_phone", "ordered_at", "id");`);
    this.addSql(`create index "orders_paid_idx" on "orders" ("paid_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "orders_buyer_phone_idx";`);
    this.addSql(`drop index "orders_paid_idx";`);

    this.addSql(`create index "orders_buyer_phone_idx" on "orders" ("buyer_phone");`);
    this.addSql(`create index "orders_paid_idx" on "orders" ("paid_at");`);
  }
}
