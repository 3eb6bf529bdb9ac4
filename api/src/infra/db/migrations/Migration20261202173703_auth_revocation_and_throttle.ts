import { Migration } from '@mikro-orm/migrations';

export class Migration20261202173703_auth_revocation_and_throttle extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "auth_audit" ("id" uuid not null default gen_random_uuid(), "at" timestamptz not null, "action" text not null, "actor" text null, "subject" text not null, "address" text null, constraint "auth_audit_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "auth_audit_at_index" on "auth_audit" ("at");`);

    this.addSql(
      `create table "login_throttle" ("subject" text not null, "failures" int not null, "last_failure_at" timestamptz null, "blocked_until" timestamptz null, constraint "login_throttle_pkey" primary key ("subject"));`,
    );

    this.addSql(`alter table "staff_user" add column "token_version" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "auth_audit" cascade;`);

    this.addSql(`drop table if exists "login_throttle" cascade;`);

    this.addSql(`alter table "staff_user" drop column "token_version";`);
  }
}
