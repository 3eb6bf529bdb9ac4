import { Migration } from '@mikro-orm/migrations';

const RESCHEDULE = (
  promise: boolean,
) => `create or replace function orders_sla_reschedule() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT'
     or new.state is distinct from old.state
     or new.group_id is distinct from old.group_id
     or new.business_type is distinct from old.business_type
     or new.paid_at is distinct from old.paid_at
     or new.presale is distinct from old.presale${
       promise
         ? `
     or (new.promised_delivery_source = 'CHANNEL'
         and (new.promised_delivery_at is distinct from old.promised_delivery_at
              or old.promised_delivery_source is distinct from 'CHANNEL'))`
         : ''
     } then
    new.sla_next_check_at := now();
  end if;
  return new;
end
$$;`;

const TRIGGER = (columns: string) => `create trigger orders_sla_reschedule
  before insert or update of ${columns} on orders
  for each row execute function orders_sla_reschedule();`;

/**
 * The delivery promise on the order (the channel's, or the one the SLA policy derives), the
 * backfill flag of orders taken in as history, and stage records that say their deadline had
 * passed before the order arrived. A new or changed channel promise schedules the SLA clock like
 * a payment does; a promise the sweep derived itself does not.
 */
export class Migration20261206225931_promised_delivery_backfill extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "orders" add column "promised_delivery_at" timestamptz null, add column "promised_delivery_source" text null, add column "backfill" boolean not null default false;`,
    );

    this.addSql(
      `alter table "sla_stage_record" add column "late_on_arrival" boolean not null default false;`,
    );
    this.addSql(RESCHEDULE(true));
    this.addSql('drop trigger if exists orders_sla_reschedule on orders;');
    this.addSql(
      TRIGGER(
        'state, group_id, business_type, paid_at, presale, promised_delivery_at, promised_delivery_source',
      ),
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists orders_sla_reschedule on orders;');
    this.addSql(RESCHEDULE(false));
    this.addSql(TRIGGER('state, group_id, business_type, paid_at, presale'));
    this.addSql(
      `alter table "orders" drop column "promised_delivery_at", drop column "promised_delivery_source", drop column "backfill";`,
    );

    this.addSql(`alter table "sla_stage_record" drop column "late_on_arrival";`);
  }
}
