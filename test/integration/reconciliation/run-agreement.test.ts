import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../../api/src/domain/reconciliation/matching.js';
import type { Outcome } from '../../../api/src/domain/reconciliation/reconciliation-types.js';
import { businessDayRange } from '../../../api/src/domain/sla/business-time.js';
import { inTransaction } from '../../../api/src/infra/db/transaction.js';
import { loadMatchingInput } from '../../../api/src/modules/reconciliation/matching-input.js';
import {
  daysBetween,
  runReconciliation,
} from '../../../api/src/modules/reconciliation/reconciliation-run.service.js';
import {
  computeOutcomes,
  type OutcomeRow,
  readOutcomes,
} from '../../../api/src/modules/reconciliation/reconciliation-run.sql.js';
import { DEFAULT_MATCHING } from '../../../api/src/modules/reconciliation/reconciliation-settings.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';
import { generateSet, judgeAt, labelOf, type SetShape } from '../../support/reconciliation-set.js';

const SHAPE: SetShape = { orders: 400, firstDay: '2026-11-20', days: 3 };
const NOW = judgeAt(SHAPE);
const DAYS = daysBetween('2026-11-20', '2026-11-22');
let db: MigratedDb;

beforeAll(async () => {
  db = await openMigratedDb('reconciliation_run');
  await generateSet(db.pool, SHAPE);
});
afterAll(() => db?.close());

const fromSql = (r: OutcomeRow) =>
  [
    r.item_key,
    r.type,
    r.order_id,
    r.record_id,
    r.gateway,
    r.payment_no,
    r.expected_cents,
    r.actual_cents,
  ].join('|');
const fromPure = (o: Outcome) =>
  [
    o.itemKey,
    o.type,
    o.orderId,
    o.recordId,
    o.gateway,
    o.paymentNo,
    o.expectedCents?.toString() ?? null,
    o.actualCents?.toString() ?? null,
  ]
    .map((v) => v ?? '')
    .join('|');

async function both(day: string, shop: string | null) {
  const scope = { ...businessDayRange(day), shop };
  return inTransaction(db.pool, async (tx) => {
    await computeOutcomes(tx, scope, DEFAULT_MATCHING, NOW);
    const sql = await readOutcomes(tx);
    const pure = reconcile(await loadMatchingInput(tx, scope), DEFAULT_MATCHING, NOW);
    return { sql, pure };
  });
}

describe('the set-wise run and the pure rules', () => {
  it('give the same outcomes, day by day, for every shop and for one', async () => {
    for (const shop of [null, 'WEBSHOP', 'DOUYIN'])
      for (const day of DAYS) {
        const { sql, pure } = await both(day, shop);
        expect(sql.length).toBeGreaterThan(0);
        expect(sql.map(fromSql).sort()).toEqual(pure.map(fromPure).sort());
      }
  });

  it('give each day, from one pass over the range, what a pass over that day alone gives', async () => {
    const row = (r: OutcomeRow & { business_date: string }) => `${fromSql(r)}|${r.business_date}`;
    const range = {
      from: businessDayRange(DAYS[0]).from,
      to: businessDayRange(DAYS[DAYS.length - 1]).to,
      shop: null,
    };
    const whole = await inTransaction(db.pool, async (tx) => {
      await computeOutcomes(tx, range, DEFAULT_MATCHING, NOW);
      return (
        await tx.query(
          `select *, business_date::text as business_date, merge_day::text as merge_day from run_outcome`,
        )
      ).rows as (OutcomeRow & { business_date: string; merge_day: string })[];
    });
    for (const day of DAYS) {
      const alone = await inTransaction(db.pool, async (tx) => {
        await computeOutcomes(tx, { ...businessDayRange(day), shop: null }, DEFAULT_MATCHING, NOW);
        return (await tx.query(`select *, business_date::text as business_date from run_outcome`))
          .rows as (OutcomeRow & { business_date: string })[];
      });
      const merged = whole.filter((r) => r.merge_day === day);
      expect(merged.length).toBeGreaterThan(0);
      // A day alone also re-reads the orders of earlier days whose money arrived that day.
      const keys = new Set(merged.map((r) => r.item_key));
      expect(merged.map(row).sort()).toEqual(
        alone
          .filter((r) => keys.has(r.item_key))
          .map(row)
          .sort(),
      );
      expect(
        alone
          .filter((r) => !keys.has(r.item_key))
          .every((r) => whole.some((w) => w.item_key === r.item_key && w.merge_day < day)),
      ).toBe(true);
    }
  });

  it('give every order of the labelled set its labelled outcomes', async () => {
    const byOrder = new Map<string, string[]>();
    for (const day of DAYS) {
      const { sql } = await both(day, null);
      for (const row of sql) {
        const key = row.channel_order_no ?? '';
        byOrder.set(key, [...(byOrder.get(key) ?? []), row.type]);
      }
    }
    const wrong: string[] = [];
    for (let i = 1; i <= SHAPE.orders; i++) {
      const got = (byOrder.get(`R${i}`) ?? []).sort().join(',');
      if (got !== labelOf(i)) wrong.push(`R${i} (case ${i % 20}): ${got} ≠ ${labelOf(i)}`);
      if (i % 20 === 19 && byOrder.get(`X${i}`)?.join(',') !== 'PAYMENT_WITHOUT_ORDER') wrong.push(`X${i}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('the set-wise run and the pure rules, beyond the labelled set', () => {
  it('agree on a payment for a part its order does not expect (a balance on an order paid in full)', async () => {
    const { rows } = await db.pool.query(
      `insert into money_record (kind, gateway, record_no, payment_no, channel, merchant_order_no, part, line_type,
                                 amount_cents, fee_cents, currency, occurred_at)
       select 'PAYMENT', 'WECHAT', 'STRAY' || r.channel_order_no, 'STRAY' || r.channel_order_no, r.channel,
              r.channel_order_no, 'BALANCE', null, 500, null, 'CNY', r.paid_at + interval '1 minute'
         from (select o.channel, o.channel_order_no, min(p.paid_at) as paid_at
                 from orders o join order_payment p on p.order_id = o.id
                where o.channel_order_no in ('R20', 'R40') group by o.id) r
       returning id`,
    );
    expect(rows).toHaveLength(2);
    try {
      for (const day of DAYS) {
        const { sql, pure } = await both(day, null);
        expect(sql.map(fromSql).sort()).toEqual(pure.map(fromPure).sort());
      }
      const found = [];
      for (const day of DAYS)
        found.push(...(await both(day, null)).sql.filter((r) => r.record_id === rows[0].id));
      expect(found.map((r) => r.type)).toEqual(['PAYMENT_WITHOUT_ORDER']);
    } finally {
      await db.pool.query('delete from money_record where id = any($1::uuid[])', [rows.map((r) => r.id)]);
    }
  });

  it('agree on split payments: two records that add up to the part, and two that do not', async () => {
    // R21 and R22 are paid in full (case 1, 2); their payment is replaced by two records each.
    const orders = ['R21', 'R22'];
    const { rows: saved } = await db.pool.query(
      `delete from money_record where kind = 'PAYMENT' and merchant_order_no = any($1) returning *`,
      [orders],
    );
    expect(saved).toHaveLength(2);
    const split = saved.flatMap((m) =>
      [1, 2].map((n) => [
        m.gateway,
        `${m.record_no}-${n}`,
        `${m.payment_no}-${n}`,
        m.channel,
        m.merchant_order_no,
        n === 1 ? BigInt(m.amount_cents) - 300n : m.merchant_order_no === 'R22' ? 299n : 300n,
        new Date(new Date(m.occurred_at).getTime() + n * 1000),
      ]),
    );
    for (const values of split)
      await db.pool.query(
        `insert into money_record (kind, gateway, record_no, payment_no, channel, merchant_order_no, amount_cents,
                                   currency, occurred_at)
         values ('PAYMENT', $1, $2, $3, $4, $5, $6, 'CNY', $7)`,
        values,
      );
    try {
      const found: OutcomeRow[] = [];
      for (const day of DAYS) {
        const { sql, pure } = await both(day, null);
        expect(sql.map(fromSql).sort()).toEqual(pure.map(fromPure).sort());
        found.push(...sql.filter((r) => orders.includes(r.channel_order_no ?? '')));
      }
      expect(found.map((r) => `${r.channel_order_no}:${r.type}`).sort()).toEqual([
        'R21:MATCHED',
        'R22:AMOUNT_MISMATCH',
        'R22:DUPLICATE_PAYMENT',
      ]);
    } finally {
      await db.pool.query(`delete from money_record where kind = 'PAYMENT' and merchant_order_no = any($1)`, [
        orders,
      ]);
      for (const m of saved)
        await db.pool.query(
          `insert into money_record (id, kind, gateway, record_no, payment_no, channel, merchant_order_no, part,
                                     amount_cents, fee_cents, currency, occurred_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            m.id,
            m.kind,
            m.gateway,
            m.record_no,
            m.payment_no,
            m.channel,
            m.merchant_order_no,
            m.part,
            m.amount_cents,
            m.fee_cents,
            m.currency,
            m.occurred_at,
          ],
        );
    }
  });
});

describe('a reconciliation run', () => {
  it('records its counts, opens the differences once, and announces them per day through the outbox', async () => {
    const first = await runReconciliation(db.pool, {
      shop: null,
      fromDate: '2026-11-20',
      toDate: '2026-11-22',
      trigger: 'MANUAL',
      startedBy: 'finance',
      settings: DEFAULT_MATCHING,
      now: NOW,
    });
    expect(first).toMatchObject({ state: 'DONE', error: null });
    expect(first.counts.MATCHED).toBe(20 * 17); // cases 0–9 and 13–19 match their expected payment
    expect(first.counts.MISSING_PAYMENT).toBe(20);
    expect(first.counts.PENDING_SETTLEMENT).toBe(20);
    const run = await db.pool.query(
      'select state, days_done, days_total, duration_ms from reconciliation_run where id = $1',
      [first.id],
    );
    expect(run.rows[0]).toMatchObject({ state: 'DONE', days_done: 3, days_total: 3 });
    const open = await db.pool.query(
      `select outcome, count(*)::int as n from reconciliation_item where state = 'OPEN' group by outcome order by outcome`,
    );
    expect(Object.fromEntries(open.rows.map((r) => [r.outcome, r.n]))).toEqual({
      AMOUNT_MISMATCH: 20,
      BALANCE_UNPAID: 20,
      DUPLICATE_PAYMENT: 20,
      FEE_VARIANCE: 20,
      MISSING_PAYMENT: 20,
      PAYMENT_WITHOUT_ORDER: 20,
      PENDING_SETTLEMENT: 20,
      REFUND_MISMATCH: 20,
    });
    const events = await db.pool.query(
      `select payload from outbox_message where topic = 'reconciliation.discrepancy-found'`,
    );
    expect(events.rows).toHaveLength(3);
    expect(events.rows.reduce((s, r) => s + r.payload.events[0].total, 0)).toBe(160);

    // The same run again changes nothing, announces nothing and writes no item it leaves as it was.
    const before = await db.pool.query(
      'select count(*)::int as n, max(updated_at) as at from reconciliation_item',
    );
    const again = await runReconciliation(db.pool, {
      shop: null,
      fromDate: '2026-11-20',
      toDate: '2026-11-22',
      trigger: 'MANUAL',
      startedBy: 'finance',
      settings: DEFAULT_MATCHING,
      now: new Date(NOW.getTime() + 60_000),
    });
    expect(again.counts.opened).toBe(0);
    expect(again.counts.MATCHED).toBe(first.counts.MATCHED);
    const after = await db.pool.query(
      `select count(*)::int as n, max(updated_at) as at, count(*) filter (where last_run_id = $1)::int as touched
         from reconciliation_item`,
      [again.id],
    );
    expect(after.rows[0]).toEqual({ n: before.rows[0].n, at: before.rows[0].at, touched: 0 });
    expect(
      (
        await db.pool.query(
          `select count(*)::int as n from outbox_message where topic = 'reconciliation.discrepancy-found'`,
        )
      ).rows[0].n,
    ).toBe(3);
  });

  it('resolves a difference itself when the money turns up, and audits it', async () => {
    await db.pool.query(
      `insert into money_record (kind, gateway, record_no, payment_no, channel, merchant_order_no, amount_cents, fee_cents, currency, occurred_at)
       select 'PAYMENT', 'WECHAT', 'TX' || substr(o.channel_order_no, 2), o.payment_no, 'WEBSHOP', o.channel_order_no, o.paid_cents, (o.paid_cents * 60 + 5000) / 10000, 'CNY', o.paid_at
         from orders o where o.channel_order_no = 'R10'`,
    );
    const rerun = await runReconciliation(db.pool, {
      shop: 'WEBSHOP',
      fromDate: '2026-11-20',
      toDate: '2026-11-20',
      trigger: 'MANUAL',
      startedBy: 'finance',
      settings: DEFAULT_MATCHING,
      now: NOW,
    });
    expect(rerun.state).toBe('DONE');
    const item = await db.pool.query(
      `select i.outcome, i.state, a.action, a.from_state, a.to_state from reconciliation_item i
         join orders o on o.id = i.order_id join reconciliation_audit a on a.item_id = i.id
        where o.channel_order_no = 'R10' order by a.id`,
    );
    expect(item.rows).toEqual([
      { outcome: 'MATCHED', state: 'RESOLVED', action: 'FOUND', from_state: null, to_state: 'OPEN' },
      {
        outcome: 'MATCHED',
        state: 'RESOLVED',
        action: 'CLEARED_BY_RUN',
        from_state: 'OPEN',
        to_state: 'RESOLVED',
      },
    ]);
  });

  it('brings a known difference up to date when its money changes, without reopening or auditing it', async () => {
    const item = () =>
      db.pool.query(
        `select i.outcome, i.state, i.actual_cents, (select count(*)::int from reconciliation_audit a where a.item_id = i.id) as audits
           from reconciliation_item i join orders o on o.id = i.order_id
          where o.channel_order_no = 'R12' and i.item_key like 'e:%'`,
      );
    const before = (await item()).rows[0];
    expect(before).toMatchObject({ outcome: 'AMOUNT_MISMATCH', state: 'OPEN', audits: 1 });
    await db.pool.query(
      `update money_record set amount_cents = amount_cents - 1 where merchant_order_no = 'R12' and kind = 'PAYMENT'`,
    );
    const rerun = await runReconciliation(db.pool, {
      shop: 'WEBSHOP',
      fromDate: '2026-11-20',
      toDate: '2026-11-20',
      trigger: 'MANUAL',
      startedBy: 'finance',
      settings: DEFAULT_MATCHING,
      now: NOW,
    });
    expect(rerun).toMatchObject({ state: 'DONE', counts: { opened: 0 } });
    expect((await item()).rows[0]).toEqual({
      ...before,
      actual_cents: String(BigInt(before.actual_cents) - 1n),
    });
  });
});
