import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clock,
  createGroup,
  historyOf,
  insertOrder,
  moveOrder,
  openSlaDb,
  type SlaDb,
  slaOf,
  stageRecordsOf,
  sweep,
} from './sla-kit.js';

/**
 * The clock through each stage of the default policies, driven the way production drives it:
 * orders change state in the database (any writer), a trigger marks them due, and the sweep
 * judges them at a given `now`.
 */
describe('SLA clock in indexed columns', () => {
  let db: SlaDb;
  const { at } = clock();

  beforeAll(async () => {
    db = await openSlaDb('sla_clock');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('walks a NORMAL order paid → accepted → picking → packed → shipped, on time', async () => {
    const id = await insertOrder(db.pool, { businessType: 'NORMAL', paidAt: at(0) });
    expect((await slaOf(db.pool, id)).sla_next_check_at).not.toBeNull();

    await sweep(db, at(1));
    expect(await slaOf(db.pool, id)).toMatchObject({
      sla_stage: 'WAREHOUSE_ACCEPTED@PAID_AT',
      sla_deadline: at(30),
      sla_next_check_at: at(30),
      escalation_level: 0,
      abnormal: false,
      sla_policy_key: 'NORMAL:*:*',
      sla_policy_version: 1,
    });

    const steps = [
      { state: 'WAREHOUSE_ACCEPTED', minute: 10, stage: 'PICKING@PAID_AT', deadline: 120 },
      { state: 'PICKING', minute: 50, stage: 'PACKED@PAID_AT', deadline: 180 },
      { state: 'PACKED', minute: 100, stage: 'SHIPPED@STATE_ENTERED:PACKED', deadline: 160 },
    ] as const;
    for (const step of steps) {
      await moveOrder(db.pool, id, step.state, at(step.minute));
      // Not judged again until the state changed: a sweep finds it due at once.
      const totals = await sweep(db, at(step.minute + 1));
      expect(totals.claimed).toBe(1);
      expect(await slaOf(db.pool, id)).toMatchObject({
        sla_stage: step.stage,
        sla_deadline: at(step.deadline),
        sla_next_check_at: at(step.deadline),
        escalation_level: 0,
        abnormal: false,
      });
    }
    await moveOrder(db.pool, id, 'SHIPPED', at(130));
    await sweep(db, at(131));
    expect(await slaOf(db.pool, id)).toMatchObject({
      sla_stage: null,
      sla_deadline: null,
      sla_next_check_at: null,
      escalation_level: 0,
    });

    const records = await stageRecordsOf(db.pool, id);
    expect(records.map((r) => [r.stage, r.started_at, r.deadline, r.finished_at, r.max_level])).toEqual([
      ['WAREHOUSE_ACCEPTED@PAID_AT', at(0), at(30), at(10), 0],
      ['PICKING@PAID_AT', at(0), at(120), at(50), 0],
      ['PACKED@PAID_AT', at(0), at(180), at(100), 0],
      ['SHIPPED@STATE_ENTERED:PACKED', at(100), at(160), at(130), 0],
    ]);
    expect(await historyOf(db.pool, id)).toEqual([]);
  });

  it('does nothing for an order whose check is not due, and settles an unpaid order with no clock', async () => {
    const paid = await insertOrder(db.pool, { paidAt: at(0) });
    const unpaid = await insertOrder(db.pool, { paidAt: null, state: 'CREATED' });
    await sweep(db, at(1));
    expect((await slaOf(db.pool, unpaid)).sla_next_check_at).toBeNull();
    expect((await slaOf(db.pool, unpaid)).sla_stage).toBeNull();
    const again = await sweep(db, at(29));
    expect(again.claimed).toBe(0);
    expect((await slaOf(db.pool, paid)).sla_next_check_at).toEqual(at(30));
  });

  it('times PRESALE orders from the balance payment, and by the promised ship date when there is one', async () => {
    const plain = await insertOrder(db.pool, { businessType: 'PRESALE', paidAt: at(0), presale: {} });
    const promised = await insertOrder(db.pool, {
      businessType: 'PRESALE',
      paidAt: at(0),
      presale: { promisedShipAt: at(5000) },
    });
    await sweep(db, at(1));
    // A deposit alone starts no clock.
    expect(await slaOf(db.pool, plain)).toMatchObject({ sla_stage: null, sla_next_check_at: null });

    // The balance payment (a presale change, by any writer) starts it.
    for (const id of [plain, promised])
      await db.pool.query(
        `update orders set presale = presale || jsonb_build_object('balancePaidAt', $2::timestamptz) where id = $1`,
        [id, at(100).toISOString()],
      );
    await sweep(db, at(101));
    for (const id of [plain, promised])
      expect(await slaOf(db.pool, id)).toMatchObject({
        sla_stage: 'WAREHOUSE_ACCEPTED@BALANCE_PAID_AT',
        sla_deadline: at(160),
      });

    await moveOrder(db.pool, plain, 'WAREHOUSE_ACCEPTED', at(120));
    await moveOrder(db.pool, promised, 'WAREHOUSE_ACCEPTED', at(120));
    await sweep(db, at(121));
    expect(await slaOf(db.pool, plain)).toMatchObject({
      sla_stage: 'SHIPPED@BALANCE_PAID_AT',
      sla_deadline: at(100 + 3 * 24 * 60),
    });
    expect(await slaOf(db.pool, promised)).toMatchObject({
      sla_stage: 'SHIPPED@PROMISED_SHIP_AT',
      sla_deadline: at(5000),
      sla_policy_key: 'PRESALE:*:*',
    });
  });

  it('gives CUSTOM orders their production allowance, then times packing and shipping from the state entered', async () => {
    const id = await insertOrder(db.pool, { businessType: 'CUSTOM', paidAt: at(0) });
    await sweep(db, at(1));
    expect(await slaOf(db.pool, id)).toMatchObject({
      sla_stage: 'WAREHOUSE_ACCEPTED@PAID_AT',
      sla_deadline: at(60),
    });
    await moveOrder(db.pool, id, 'WAREHOUSE_ACCEPTED', at(30));
    await sweep(db, at(31));
    expect(await slaOf(db.pool, id)).toMatchObject({
      sla_stage: 'PICKING@PAID_AT',
      sla_deadline: at(3 * 24 * 60 + 120),
    });
    await moveOrder(db.pool, id, 'PICKING', at(4000));
    await sweep(db, at(4001));
    expect(await slaOf(db.pool, id)).toMatchObject({
      sla_stage: 'PACKED@STATE_ENTERED:PICKING',
      sla_deadline: at(4180),
    });

    // Late: level 1 at the deadline, level 2 four hours later (the CUSTOM chain).
    await sweep(db, at(4181));
    expect(await slaOf(db.pool, id)).toMatchObject({
      escalation_level: 1,
      abnormal: true,
      sla_next_check_at: at(4420),
    });
    await sweep(db, at(4420));
    expect(await slaOf(db.pool, id)).toMatchObject({ escalation_level: 2, sla_next_check_at: null });

    await moveOrder(db.pool, id, 'PACKED', at(4500));
    await sweep(db, at(4501));
    expect(await slaOf(db.pool, id)).toMatchObject({
      sla_stage: 'SHIPPED@STATE_ENTERED:PACKED',
      sla_deadline: at(4620),
      escalation_level: 0,
      escalation_stage: null,
      abnormal: false,
    });
    expect((await historyOf(db.pool, id)).map((h) => h.type)).toEqual([
      'SLA_LEVEL_1',
      'SLA_LEVEL_2',
      'SLA_RECOVERED',
    ]);
    const packing = (await stageRecordsOf(db.pool, id)).find(
      (r) => r.stage === 'PACKED@STATE_ENTERED:PICKING',
    );
    expect(packing).toMatchObject({ max_level: 2, finished_at: at(4500) });
  });

  it('re-schedules on a change of state, group, payment or presale by any writer, and on nothing else', async () => {
    await createGroup(db.pool, { id: 'clock-group' });
    const id = await insertOrder(db.pool, { paidAt: at(0) });
    await sweep(db, at(1));
    expect((await slaOf(db.pool, id)).sla_next_check_at).toEqual(at(30));

    await db.pool.query(`update orders set buyer_name = '改名', abnormal = abnormal where id = $1`, [id]);
    expect((await slaOf(db.pool, id)).sla_next_check_at).toEqual(at(30));
    await db.pool.query(`update orders set state = state where id = $1`, [id]);
    expect((await slaOf(db.pool, id)).sla_next_check_at).toEqual(at(30));

    await db.pool.query(`update orders set group_id = 'clock-group' where id = $1`, [id]);
    const due = (await slaOf(db.pool, id)).sla_next_check_at!;
    expect(due.getTime()).toBeLessThan(at(0).getTime());
    await sweep(db, at(2));
    expect((await slaOf(db.pool, id)).sla_next_check_at).toEqual(at(30));

    await db.pool.query(`update orders set paid_at = $2 where id = $1`, [id, at(5)]);
    await sweep(db, at(6));
    expect(await slaOf(db.pool, id)).toMatchObject({ sla_deadline: at(35), sla_next_check_at: at(35) });
  });
});
