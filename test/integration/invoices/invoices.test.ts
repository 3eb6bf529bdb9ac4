import { createPubSub } from '@graphql-yoga/subscription';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authChecker } from '../../../api/src/app/auth-checker.js';
import { buildGraphQLSchema } from '../../../api/src/infra/graphql/build-schema.js';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { dispatchOutboxBatch } from '../../../api/src/infra/outbox/outbox-dispatcher.js';
import { HttpInvoiceProvider } from '../../../api/src/modules/invoices/http-invoice-provider.js';
import { InvoiceResolver } from '../../../api/src/modules/invoices/invoice.resolver.js';
import { invoiceIssueHandler } from '../../../api/src/modules/invoices/invoice.service.js';
import { localInvoiceProvider } from '../../../api/src/modules/invoices/invoice-provider.js';
import { runReconciliation } from '../../../api/src/modules/reconciliation/reconciliation-run.service.js';
import { DEFAULT_MATCHING } from '../../../api/src/modules/reconciliation/reconciliation-settings.js';
import { runGraphql, staff } from '../../support/graphql-in-process.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';
import { generateSet, judgeAt, type SetShape } from '../../support/reconciliation-set.js';
import { type RecordingServer, startRecordingServer } from '../../support/recording-server.js';
import { invoiceProviderContract } from './invoice-provider-contract.js';

const SHAPE: SetShape = { orders: 20, firstDay: '2026-11-20', days: 1 };
const schema = buildGraphQLSchema([InvoiceResolver], createPubSub(), authChecker);
const logger = createLogger('silent', 'test');
let db: MigratedDb;
let receiver: RecordingServer;

beforeAll(async () => {
  db = await openMigratedDb('invoices');
  receiver = await startRecordingServer([], { status: 200, body: { invoiceNo: 'X' } });
  await generateSet(db.pool, SHAPE);
  await runReconciliation(db.pool, {
    shop: null,
    fromDate: '2026-11-20',
    toDate: '2026-11-20',
    trigger: 'MANUAL',
    startedBy: 't',
    settings: DEFAULT_MATCHING,
    now: judgeAt(SHAPE),
  });
});
afterAll(async () => {
  await receiver?.close();
  await db?.close();
});

invoiceProviderContract('local numbering', () => ({ provider: localInvoiceProvider, db: db.pool }));
let n = 0;
invoiceProviderContract('HTTP against the recording server', () => {
  receiver.script([{ body: { invoiceNo: `FP${++n}` } }, { body: { invoiceNo: `FP${++n}` } }]);
  return { provider: new HttpInvoiceProvider(`${receiver.url}/invoices`, 'token-1'), db: db.pool };
});

const orderId = async (no: string) =>
  (await db.pool.query('select id from orders where channel_order_no = $1', [no])).rows[0].id as string;
const REQUEST = `mutation ($o: ID!, $t: String!, $x: String) { requestInvoice(orderId: $o, title: $t, taxNo: $x) {
  invoice { id state amount { cents } invoiceNo } userErrors { field code } } }`;
const gql = (query: string, variables: Record<string, unknown>) =>
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field and checked there.
  runGraphql<Record<string, any>>(schema, db, staff('FINANCE'), query, variables);

describe('invoices after reconciliation', () => {
  it('refuses an order whose money is not reconciled, and a bad tax number', async () => {
    const missing = await gql(REQUEST, { o: await orderId('R10'), t: '张三' });
    expect(missing.data.requestInvoice.userErrors).toEqual([{ field: 'orderId', code: 'NOT_RECONCILED' }]);
    // A matched order whose latest payment was recorded after the run: the run did not see it.
    const late = await orderId('R3');
    await db.pool.query(
      `update order_payment set recorded_at = now() + interval '1 hour' where order_id = $1`,
      [late],
    );
    const unseen = await gql(REQUEST, { o: late, t: '张三' });
    expect(unseen.data.requestInvoice.userErrors).toEqual([{ field: 'orderId', code: 'NOT_RECONCILED' }]);
    const bad = await gql(REQUEST, { o: await orderId('R1'), t: '张三', x: 'abc' });
    expect(bad.data.requestInvoice.userErrors).toEqual([{ field: 'taxNo', code: 'INVALID_TAX_NO' }]);
  });

  it('requests, then issues through the HTTP provider via the outbox, retrying a failing receiver', async () => {
    const id = await orderId('R1');
    const requested = await gql(REQUEST, { o: id, t: '杭州某某科技有限公司', x: '91330100MA2XXXXX0X' });
    expect(requested.data.requestInvoice.invoice).toMatchObject({ state: 'REQUESTED', invoiceNo: null });
    const again = await gql(REQUEST, { o: id, t: 'another' });
    expect(again.data.requestInvoice.invoice.id).toBe(requested.data.requestInvoice.invoice.id);

    receiver.reset();
    receiver.script([{ status: 503, body: { message: 'busy' } }], {
      status: 200,
      body: { invoiceNo: 'FP20261120001' },
    });
    const handler = invoiceIssueHandler(new HttpInvoiceProvider(`${receiver.url}/invoices`, null));
    const handlers = new Map([[handler.topic, handler]]);
    const dispatch = () =>
      dispatchOutboxBatch({ pool: db.pool, handlers, batchSize: 10, deliveredBy: 'test', logger });
    await dispatch();
    expect(receiver.requests).toHaveLength(1);
    expect(
      (await gql(`query ($o: ID!) { invoice(orderId: $o) { state } }`, { o: id })).data.invoice.state,
    ).toBe('REQUESTED');
    await db.pool.query(`update outbox_message set available_at = now() where topic = 'invoice.issue'`);
    await dispatch();
    expect(receiver.requests).toHaveLength(2);
    const issued = await gql(
      `query ($o: ID!) { invoice(orderId: $o) { state invoiceNo provider amount { cents currency } } }`,
      { o: id },
    );
    expect(issued.data.invoice).toMatchObject({
      state: 'ISSUED',
      invoiceNo: 'FP20261120001',
      provider: 'http',
    });
    const [first, second] = receiver.requests;
    expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
    expect(first.headers['idempotency-key']).toBe(requested.data.requestInvoice.invoice.id);
    expect(first.body).toMatchObject({ orderNo: 'R1', amountCents: issued.data.invoice.amount.cents });
  });

  it('marks an invoice the provider refuses for good as failed', async () => {
    const id = await orderId('R2');
    await gql(REQUEST, { o: id, t: '李四' });
    receiver.reset();
    receiver.script([], { status: 400, body: { message: 'title not allowed' } });
    const handler = invoiceIssueHandler(new HttpInvoiceProvider(`${receiver.url}/invoices`, null));
    await dispatchOutboxBatch({
      pool: db.pool,
      handlers: new Map([[handler.topic, handler]]),
      batchSize: 10,
      deliveredBy: 'test',
      logger,
    });
    const failed = await gql(`query ($o: ID!) { invoice(orderId: $o) { state failure } }`, { o: id });
    expect(failed.data.invoice).toEqual({ state: 'FAILED', failure: 'HTTP 400: title not allowed' });
  });
});
