import { Migration } from '@mikro-orm/migrations';

export class Migration20261202172635_order_payments_pending_events extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "order_payment" ("id" bigserial primary key, "order_id" uuid not null, "gateway" text not null, "payment_no" text not null, "kind" text not null, "amount_cents" bigint not null, "currency" text not null, "paid_at" timestamptz not null, "event_key" text not null, "recorded_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "order_payment_order_idx" on "order_payment" ("order_id", "paid_at");`);
    this.addSql(
      `alter table "order_payment" add constraint "order_payment_unique" unique ("order_id", "payment_no", "kind");`,
    );

    this.addSql(
      `create index "order_event_pending_idx" on "order_event" ("order_id", "received_at") where outcome = 'PENDING';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "order_payment" cascade;`);

    this.addSql(`drop index "order_event_pending_idx";`);
  }
}
