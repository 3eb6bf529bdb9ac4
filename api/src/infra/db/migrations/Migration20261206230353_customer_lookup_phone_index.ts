import { Migration } from '@mikro-orm/migrations';

export class Migration20261206230353_customer_lookup_phone_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index "orders_buyer_phone_idx";`);

    this.addSql(
      `create index "orders_buyer_phone_ordered_idx" on "orders" ("buyer_phone", "ordered_at", "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "orders_buyer_phone_ordered_idx";`);

    this.addSql(`create index "orders_buyer_phone_idx" on "orders" ("buyer_phone");`);
  }
}
