import { Migration } from '@mikro-orm/migrations';

export class Migration20261206231215_order_payment_paid_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "order_payment_paid_idx" on "order_payment" ("paid_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "order_payment_paid_idx";`);
  }
}
