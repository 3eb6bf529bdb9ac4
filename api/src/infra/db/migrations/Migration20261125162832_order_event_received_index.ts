import { Migration } from '@mikro-orm/migrations';

export class Migration20261125162832_order_event_received_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "order_event_received_idx" on "order_event" ("received_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "order_event_received_idx";`);
  }
}
