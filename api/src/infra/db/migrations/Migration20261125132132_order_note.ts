import { Migration } from '@mikro-orm/migrations';

export class Migration20261125132132_order_note extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "order_note" ("id" uuid not null default gen_random_uuid(), "order_id" uuid not null, "author_id" uuid not null, "author_username" text not null, "author_role" text not null, "text" text not null, "created_at" timestamptz not null default now(), constraint "order_note_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "order_note_order_idx" on "order_note" ("order_id", "created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "order_note" cascade;`);
  }
}
