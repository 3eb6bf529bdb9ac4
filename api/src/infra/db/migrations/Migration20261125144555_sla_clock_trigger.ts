import { Migration } from '@mikro-orm/migrations';

/**
 * Schedules the SLA clock whoever writes an order: a new order, or a change of its state, group,
 * business type, payment time or presale terms, sets `sla_next_check_at` to now() so the next
 * sweep judges it. Scheduling only: what is due and what happens stays in the application.
 * Existing orders are all made due once, and stage records get room for in-place updates.
 */
export class Migration20261125144555_sla_clock_trigger extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function orders_sla_reschedule() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT'
     or new.state is distinct from old.state
     or new.group_id is distinct from old.group_id
     or new.business_type is distinct from old.business_type
     or new.paid_at is distinct from old.paid_at
     or new.presale is distinct from old.presale then
    new.sla_next_check_at := now();
  end if;
  return new;
end
$$;`);
    this.addSql(`create trigger orders_sla_reschedule
  before insert or update of state, group_id, business_type, paid_at, presale on orders
  for each row execute function orders_sla_reschedule();`);
    this.addSql('update orders set sla_next_check_at = now() where sla_next_check_at is null;');
    this.addSql('alter table sla_stage_record set (fillfactor = 80);');
  }

  override async down(): Promise<void> {
    this.addSql('alter table sla_stage_record reset (fillfactor);');
    this.addSql('drop trigger if exists orders_sla_reschedule on orders;');
    this.addSql('drop function if exists orders_sla_reschedule();');
  }
}
