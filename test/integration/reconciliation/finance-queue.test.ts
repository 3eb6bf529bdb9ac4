import { createPubSub } from '@graphql-yoga/subscription';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authChecker } from '../../../api/src/app/auth-checker.js';
import { buildGraphQLSchema } from '../../../api/src/infra/graphql/build-schema.js';
import { ReconciliationResolver } from '../../../api/src/modules/reconciliation/reconciliation.resolver.js';
import { runGraphql, staff } from '../../support/graphql-in-process.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';
import { generateSet, judgeAt, type SetShape } from '../../support/reconciliation-set.js';

const SHAPE: SetShape = { orders: 40, firstDay: '2026-11-20', days: 1 };
const NOW = judgeAt(SHAPE);
const schema = buildGraphQLSchema([ReconciliationResolver], createPubSub(), authChecker);
const FINANCE = staff('FINANCE');
let db: MigratedDb;

beforeAll(async () => {
  db = await openMigratedDb('reconciliation_queue');
  await generateSet(db.pool, SHAPE);
});
afterAll(() => db?.close());

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field and checked there.
const gql = <T = Record<string, any>>(
  query: string,
  variables: Record<string, unknown> = {},
  viewer = FINANCE,
) => runGraphql<T>(schema, db, viewer, query, variables, { now: NOW });

const RUN = `mutation ($from: String!, $to: String!, $shop: String) {
  runReconciliation(fromDate: $from, toDate: $to, shop: $shop) {
    run { id state daysDone daysTotal trigger startedBy counts { key count } durationMs }
    userErrors { field code message }
  }
}`;
const FIELDS =
  'id type state shop gateway channelOrderNo expected { cents currency } actual { cents currency } assignee businessDate';

describe('the finance queue over GraphQL', () => {
  it('runs a day for a shop and answers the run with its counts', async () => {
    const { data, errors } = await gql(RUN, { from: '2026-11-20', to: '2026-11-20', shop: 'WEBSHOP' });
    expect(errors).toEqual([]);
    const run = data.runReconciliation.run;
    expect(run).toMatchObject({
      state: 'DONE',
      daysDone: 1,
      daysTotal: 1,
      trigger: 'MANUAL',
      startedBy: 'test-finance',
    });
    expect(
      Object.fromEntries(run.counts.map((c: { key: string; count: number }) => [c.key, c.count])),
    ).toMatchObject({
      MATCHED: 32,
      MISSING_PAYMENT: 2,
      AMOUNT_MISMATCH: 2,
      DUPLICATE_PAYMENT: 2,
      FEE_VARIANCE: 2,
      REFUND_MISMATCH: 2,
      PAYMENT_WITHOUT_ORDER: 2,
    });
  });

  it('refuses a bad range with a coded error and lets only finance run', async () => {
    const bad = await gql(RUN, { from: '2026-11-21', to: '2026-11-20' });
    expect(bad.data.runReconciliation.userErrors).toEqual([
      { field: 'toDate', code: 'INVALID_RANGE', message: expect.any(String) },
    ]);
    const service = await gql(RUN, { from: '2026-11-20', to: '2026-11-20' }, staff('SERVICE'));
    expect(service.errors[0].code).toBe('FORBIDDEN');
    const supervisor = await gql(
      `{ discrepancies(first: 1) { edges { node { id } } } }`,
      {},
      staff('SUPERVISOR'),
    );
    expect(supervisor.errors).toEqual([]);
  });

  it('filters the queue by type, gateway and state, amounts as cent strings', async () => {
    const { data } = await gql(
      `query ($f: DiscrepancyFilter) { discrepancies(filter: $f, first: 50) { edges { node { ${FIELDS} } } pageInfo { hasNextPage } } }`,
      {
        f: {
          type: 'AMOUNT_MISMATCH',
          gateway: 'WECHAT',
          state: 'OPEN',
          fromDate: '2026-11-20',
          toDate: '2026-11-20',
        },
      },
    );
    const nodes = data.discrepancies.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toHaveLength(2);
    for (const node of nodes) {
      expect(node).toMatchObject({
        type: 'AMOUNT_MISMATCH',
        state: 'OPEN',
        shop: 'WEBSHOP',
        gateway: 'WECHAT',
      });
      expect(BigInt(node.expected.cents) - BigInt(node.actual.cents)).toBe(100n);
    }
    const paged = await gql(
      `{ discrepancies(first: 3) { edges { cursor } pageInfo { hasNextPage endCursor } } }`,
    );
    const next = await gql(`query ($a: String) { discrepancies(first: 3, after: $a) { edges { cursor } } }`, {
      a: paged.data.discrepancies.pageInfo.endCursor,
    });
    expect(paged.data.discrepancies.pageInfo.hasNextPage).toBe(true);
    expect(next.data.discrepancies.edges.map((e: { cursor: string }) => e.cursor)).not.toContain(
      paged.data.discrepancies.edges[0].cursor,
    );
  });

  it('assigns, notes, confirms and writes off on the lifecycle, every decision audited', async () => {
    const list = await gql(
      `{ discrepancies(filter: { type: "FEE_VARIANCE" }, first: 1) { edges { node { id } } } }`,
    );
    const id = list.data.discrepancies.edges[0].node.id;
    const step = (mutation: string, args = '') =>
      gql(
        `mutation ($id: ID!) { ${mutation}(id: $id${args}) { discrepancy { state assignee } userErrors { field code } } }`,
        { id },
      );
    expect(
      (await step('assignDiscrepancy', ', assignee: "li.na"')).data.assignDiscrepancy.discrepancy,
    ).toEqual({ state: 'OPEN', assignee: 'li.na' });
    expect(
      (await step('noteDiscrepancy', ', note: "asked WeChat Pay"')).data.noteDiscrepancy.userErrors,
    ).toEqual([]);
    expect((await step('writeOffDiscrepancy', ', note: "  "')).data.writeOffDiscrepancy.userErrors).toEqual([
      { field: 'note', code: 'REQUIRED' },
    ]);
    expect((await step('confirmDiscrepancy')).data.confirmDiscrepancy.discrepancy.state).toBe('CONFIRMED');
    expect((await step('confirmDiscrepancy')).data.confirmDiscrepancy.userErrors).toEqual([
      { field: 'id', code: 'TRANSITION_NOT_ALLOWED' },
    ]);
    expect(
      (await step('writeOffDiscrepancy', ', note: "one fen, accepted"')).data.writeOffDiscrepancy.discrepancy
        .state,
    ).toBe('WRITTEN_OFF');
    expect((await step('resolveDiscrepancy', ', note: "late"')).data.resolveDiscrepancy.userErrors).toEqual([
      { field: 'id', code: 'TERMINAL_STATE' },
    ]);
    const history = await gql(
      `query ($id: ID!) { discrepancyHistory(id: $id) { action actor fromState toState note } }`,
      { id },
    );
    expect(
      history.data.discrepancyHistory.map(
        (h: { action: string; toState: string }) => `${h.action}:${h.toState}`,
      ),
    ).toEqual(['FOUND:OPEN', 'ASSIGN:OPEN', 'NOTE:OPEN', 'CONFIRM:CONFIRMED', 'WRITE_OFF:WRITTEN_OFF']);
    expect(history.data.discrepancyHistory[4]).toMatchObject({
      actor: 'test-finance',
      note: 'one fen, accepted',
    });
    // A later run leaves a written-off difference written off.
    await gql(RUN, { from: '2026-11-20', to: '2026-11-20', shop: 'WEBSHOP' });
    expect(
      (await gql(`query ($id: ID!) { discrepancy(id: $id) { state } }`, { id })).data.discrepancy.state,
    ).toBe('WRITTEN_OFF');
  });

  it('reports the shop’s day: gross, refunds, fees, subsidies, net and outcome counts', async () => {
    const { data, errors } = await gql(`{ reconciliationReport(shop: "WEBSHOP", date: "2026-11-20") {
      gross { cents } refunds { cents } fees { cents } subsidies { cents } net { cents } outcomes { key count } } }`);
    expect(errors).toEqual([]);
    const r = data.reconciliationReport;
    const sums = await db.pool.query(
      `select sum(amount_cents) filter (where kind = 'PAYMENT')::text as gross, sum(amount_cents) filter (where kind = 'REFUND')::text as refunds,
              sum(fee_cents)::text as fees from money_record where channel = 'WEBSHOP'
          and occurred_at >= '2026-11-20T00:00:00+08:00' and occurred_at < '2026-11-21T00:00:00+08:00'`,
    );
    expect(r.gross.cents).toBe(sums.rows[0].gross);
    expect(r.refunds.cents).toBe(sums.rows[0].refunds);
    expect(r.fees.cents).toBe(sums.rows[0].fees);
    expect(BigInt(r.net.cents)).toBe(
      BigInt(r.gross.cents) - BigInt(r.refunds.cents) - BigInt(r.fees.cents) + BigInt(r.subsidies.cents),
    );
    expect(r.outcomes.find((o: { key: string }) => o.key === 'MATCHED').count).toBeGreaterThan(0);
  });
});
