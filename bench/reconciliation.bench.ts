/**
 * Reconciliation: a full run over a generated, labelled set against a hand-written single SQL
 * join over the same tables, in the same run; accuracy of the outcomes against the labels; and a
 * WeChat trade bill import (rows per second, peak memory).
 * Usage: `npm run bench:reconciliation` (RECONCILIATION_BENCH_ORDERS, default 1,000,000;
 * RECONCILIATION_BENCH_BILL_ROWS, default 1,000,000).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { wechatTradeBill } from '../api/src/domain/bills/wechat-trade-bill.js';
import { importBill } from '../api/src/modules/ledger/ledger.store.js';
import { EXPECTED_PAYMENTS_SQL } from '../api/src/modules/reconciliation/order-money.source.js';
import { RECONCILED_ORDER_SQL } from '../api/src/modules/reconciliation/reconciled-orders.js';
import { runReconciliation } from '../api/src/modules/reconciliation/reconciliation-run.service.js';
import { DEFAULT_MATCHING } from '../api/src/modules/reconciliation/reconciliation-settings.js';
import { tempDir, writeLargeWechatBill } from '../test/support/bill-samples.js';
import { generateSet, judgeAt, labelOf, type SetShape } from '../test/support/reconciliation-set.js';
import { startBenchPostgres } from './support/bench-postgres.js';
import { runBench } from './support/cleanup.js';
import { describeMachine, loadLine, machineLine, rssMiB } from './support/machine.js';

const ORDERS = Number(process.env.RECONCILIATION_BENCH_ORDERS ?? '1000000');
const BILL_ROWS = Number(process.env.RECONCILIATION_BENCH_BILL_ROWS ?? '1000000');
const SHAPE: SetShape = { orders: ORDERS, firstDay: '2026-11-01', days: 7 };
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

await runBench('reconciliation bench', async () => {
  log(machineLine(describeMachine()));
  log(`load before: ${loadLine()}`);
  const db = await startBenchPostgres('reconciliation');
  let t = performance.now();
  const records = await generateSet(db.pool, SHAPE);
  // Every table analysed, the empty queue too, as autovacuum leaves a fresh installation.
  await db.pool.query('analyze');
  log(
    `generated ${ORDERS.toLocaleString('en')} orders and ${records.toLocaleString('en')} money records over ${SHAPE.days} days in ${seconds(performance.now() - t)}`,
  );

  // The baseline: one hand-written join of expected payments to their payment records, classified
  // matched / mismatched / missing, written to a table — what a DBA would write first.
  t = performance.now();
  await db.pool.query(
    `create unlogged table baseline_outcome as
     select e.order_id, e.part, r.id as record_id,
            case when r.id is null then 'MISSING' when r.amount_cents = e.amount_cents then 'MATCHED' else 'MISMATCH' end as outcome
       from (${EXPECTED_PAYMENTS_SQL}) e
       left join money_record r on r.kind = 'PAYMENT' and r.channel = e.channel and r.merchant_order_no = e.channel_order_no
                               and coalesce(r.part, 'FULL') = e.part
      where e.paid_at >= $1 and e.paid_at < $2`,
    [
      new Date(`${SHAPE.firstDay}T00:00:00+08:00`),
      new Date(new Date(`${SHAPE.firstDay}T00:00:00+08:00`).getTime() + SHAPE.days * 86_400_000),
    ],
  );
  const joinMs = performance.now() - t;
  log(`hand-written single join: ${seconds(joinMs)}`);

  const toDate = new Date(
    new Date(`${SHAPE.firstDay}T12:00:00+08:00`).getTime() + (SHAPE.days - 1) * 86_400_000,
  )
    .toISOString()
    .slice(0, 10);
  // The whole range, as a finance user starts it; run twice below.
  const request = {
    shop: null,
    fromDate: SHAPE.firstDay,
    toDate,
    trigger: 'MANUAL',
    startedBy: 'bench',
    settings: DEFAULT_MATCHING,
    now: judgeAt(SHAPE),
  } as const;
  t = performance.now();
  const run = await runReconciliation(db.pool, request);
  const runMs = performance.now() - t;
  if (run.state !== 'DONE') throw new Error(run.error ?? 'run failed');
  log(
    `full run (${SHAPE.days} days, all rules, merged into the queue with audit and outbox): ${seconds(runMs)} = ${(runMs / joinMs).toFixed(2)}× the join`,
  );
  log(`counts: ${JSON.stringify(run.counts)}`);

  // The same range again, nothing changed (as the daily job re-runs the days inside the settlement
  // window): every rule again, but no item is written.
  t = performance.now();
  const rerun = await runReconciliation(db.pool, request);
  const rerunMs = performance.now() - t;
  if (rerun.state !== 'DONE') throw new Error(rerun.error ?? 're-run failed');
  log(
    `re-run of the same range, nothing changed: ${seconds(rerunMs)} = ${(rerunMs / joinMs).toFixed(2)}× the join (opened ${rerun.counts.opened})`,
  );

  // Accuracy: every order's outcome types against its label. The queue holds the differences; an
  // order's expected payment matched when a run reconciled the order and left no difference on it.
  const { rows } = await db.pool.query<{ no: string; types: string[]; expected_differs: boolean }>(
    `select channel_order_no as no, array_agg(outcome) as types, bool_or(item_key like 'e:%') as expected_differs
       from reconciliation_item group by channel_order_no`,
  );
  const differences = new Map(rows.map((r) => [r.no, r]));
  const reconciled = await db.pool.query<{ no: string }>(
    `select o.channel_order_no as no from orders o where ${RECONCILED_ORDER_SQL}`,
  );
  const got = new Map<string, string>();
  for (const { no } of reconciled.rows) {
    const found = differences.get(no);
    got.set(no, [...(found?.types ?? []), ...(found?.expected_differs ? [] : ['MATCHED'])].sort().join(','));
  }
  for (const [no, found] of differences) if (!got.has(no)) got.set(no, [...found.types].sort().join(','));
  let right = 0;
  let total = 0;
  for (let i = 1; i <= ORDERS; i++) {
    total += 1;
    if (got.get(`R${i}`) === labelOf(i)) right += 1;
    if (i % 20 === 19) {
      total += 1;
      if (got.get(`X${i}`) === 'PAYMENT_WITHOUT_ORDER') right += 1;
    }
  }
  log(
    `accuracy: ${right.toLocaleString('en')} / ${total.toLocaleString('en')} labelled orders right (${((100 * right) / total).toFixed(3)} %)`,
  );

  // Import: a WeChat trade bill streamed into the ledger.
  const dir = tempDir('bench-bill-');
  const path = join(dir, 'wechat.csv');
  t = performance.now();
  await writeLargeWechatBill(path, BILL_ROWS, (i) => ({
    time: '2026-11-09 10:00:00',
    transactionId: `42B${i}`,
    orderNo: `B${i}`,
    state: 'SUCCESS',
    settledCents: 1000n + BigInt(i % 500),
    feeCents: 6n,
  }));
  log(`wrote a ${BILL_ROWS.toLocaleString('en')}-row WeChat bill in ${seconds(performance.now() - t)}`);
  let peak = rssMiB();
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMiB());
  }, 100);
  const rssBefore = rssMiB();
  t = performance.now();
  const answer = await importBill(db.pool, {
    path,
    fileName: 'wechat.csv',
    format: wechatTradeBill,
    channel: 'WEBSHOP',
    importedBy: 'bench',
    now: new Date(),
  });
  const importMs = performance.now() - t;
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
  if (!answer.ok) throw new Error(answer.defect.reason);
  log(
    `imported ${answer.summary.inserted.toLocaleString('en')} rows in ${seconds(importMs)} = ${Math.round(BILL_ROWS / (importMs / 1000)).toLocaleString('en')} rows/s; RSS ${rssBefore} MiB before, peak ${peak} MiB`,
  );
  log(`load after: ${loadLine()}`);
});
