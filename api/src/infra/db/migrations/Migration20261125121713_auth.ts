import { Migration } from '@mikro-orm/migrations';

export class Migration20261125121713_auth extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "api_client" ("id" uuid not null default gen_random_uuid(), "name" text not null, "key_prefix" text not null, "key_hash" text not null, "channels" text[] not null, "scopes" text[] not null, "active" boolean not null default true, "created_by" uuid null, "created_at" timestamptz not null default now(), constraint "api_client_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "api_client" add constraint "api_client_key_hash_unique" unique ("key_hash");`);

    this.addSql(
      `create table "platform_secret" ("name" text not null, "value" text not null, "created_at" timestamptz not null default now(), constraint "platform_secret_pkey" primary key ("name"));`,
    );

    this.addSql(
      `create table "staff_user" ("id" uuid not null default gen_random_uuid(), "username" text not null, "display_name" text not null, "mobile" text null, "password_hash" text not null, "roles" text[] not null, "active" boolean not null default true, "created_at" timestamptz not null default now(), constraint "staff_user_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "staff_user" add constraint "staff_user_username_unique" unique ("username");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "api_client" cascade;`);

    this.addSql(`drop table if exists "platform_secret" cascade;`);

    this.addSql(`drop table if exists "staff_user" cascade;`);
  }
}
