import fc from 'fast-check';
import { orderPlausibility } from '../../api/src/domain/edge/order-plausibility.js';
import { MAX_UNKNOWN_FIELD_WARNINGS } from '../../api/src/domain/intake/field-reader.js';
import { parseChannelOrder } from '../../api/src/domain/intake/parse-channel-order.js';
import { signWebhook } from '../../api/src/domain/intake/webhook-signature.js';
import type { Channel } from '../../api/src/domain/order/order-types.js';
import { CHANNEL_FIXTURES, channelPayload, eventPayload, nastyString, nastyValue } from './arbitraries.js';
import type { EdgeServer } from './edge-server.js';

/** What one edge's run found: how often each answer came, and the first broken case, if any. */
export interface EdgeFinding {
  edge: string;
  runs: number;
  failure: string | null;
  answers: Record<string, number>;
  ms: number;
}

const CODE = /^[A-Z][A-Z0-9_]*$/;

/** An invariant broke: the message names the case. */
class Broken extends Error {}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Broken(message);
}

/** Every defect a caller gets is a coded error naming a field (possibly the whole item, ''). */
function checkFieldErrors(errors: unknown, where: string) {
  check(Array.isArray(errors), `${where}: errors is not a list`);
  for (const e of errors as Array<{ field?: unknown; code?: unknown; message?: unknown }>) {
    check(typeof e.field === 'string', `${where}: an error without a field`);
    check(typeof e.code === 'string' && CODE.test(e.code), `${where}: an uncoded error ${String(e.code)}`);
    check(typeof e.message === 'string' && e.message.length > 0, `${where}: an error without a message`);
  }
}

async function run(
  edge: string,
  numRuns: number,
  seed: number | undefined,
  property: (
    answers: Record<string, number>,
  ) => fc.IAsyncPropertyWithHooks<[unknown]> | fc.IAsyncProperty<[unknown]>,
): Promise<EdgeFinding> {
  const answers: Record<string, number> = {};
  const started = performance.now();
  const details = await fc.check(property(answers), {
    numRuns,
    seed,
    endOnFailure: true,
  });
  const failure = details.failed
    ? `${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)} (seed ${details.seed}, path ${details.counterexamplePath}) on ${preview(details.counterexample)}`
    : null;
  return { edge, runs: details.numRuns, failure, answers, ms: Math.round(performance.now() - started) };
}

/** Set by `npm run fuzz` to see progress; called every 1,000 cases of an edge. */
export const progress: { report: ((edge: string, cases: number) => void) | null } = { report: null };

const tally = (answers: Record<string, number>, key: string, edge?: string) => {
  answers[key] = (answers[key] ?? 0) + 1;
  if (edge && progress.report) {
    const cases = Object.values(answers).reduce((sum, n) => sum + n, 0);
    if (cases % 1000 === 0) progress.report(edge, cases);
  }
};

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}

/** Each channel adapter, pure: never throws; a refusal is coded errors, an acceptance exact integers. */
export function adapterProperty(channel: Channel, numRuns: number, seed?: number): Promise<EdgeFinding> {
  const label = `adapter ${channel}`;
  return run(label, numRuns, seed, (answers) =>
    fc.asyncProperty(channelPayload(channel as keyof typeof CHANNEL_FIXTURES), async (raw) => {
      const parsed = parseChannelOrder(channel, raw);
      if (!parsed.ok) {
        check(parsed.errors.length > 0, 'refused without an error');
        checkFieldErrors(parsed.errors, 'adapter');
        tally(answers, parsed.errors[0].code, label);
        return;
      }
      const order = parsed.value;
      checkFieldErrors(parsed.warnings, 'adapter warnings');
      check(
        parsed.warnings.length <= MAX_UNKNOWN_FIELD_WARNINGS,
        `${parsed.warnings.length} warnings for one order`,
      );
      for (const cents of [order.goodsCents, order.shippingCents, order.totalCents, order.paidCents])
        check(Number.isSafeInteger(cents) && cents >= 0, `accepted an amount of ${cents}`);
      for (const item of order.items)
        check(
          Number.isSafeInteger(item.quantity) && item.quantity >= 1,
          `accepted a quantity of ${item.quantity}`,
        );
      check(!Number.isNaN(order.createdAt.getTime()), 'accepted an invalid time');
      const implausible = orderPlausibility(order, new Date());
      checkFieldErrors(implausible, 'plausibility');
      tally(answers, implausible.length > 0 ? implausible[0].code : 'ACCEPTED', label);
    }),
  );
}

/** Mostly what a sender sends, sometimes not: the body is what most cases are about. */
const CONTENT_TYPES = [...Array(8).fill('application/json'), undefined, 'text/plain'];
const ENCODINGS = [...Array(8).fill(undefined), 'gzip', 'identity', 'x;;y'];

/**
 * A signed webhook (orders of a channel, or events of a source) with any body and header mix:
 * never a 5xx, every refusal coded, and exactly the orders it reports created are new rows.
 */
export function webhookProperty(
  server: EdgeServer,
  kind: 'orders' | 'events',
  numRuns: number,
  seed?: number,
): Promise<EdgeFinding> {
  // JD orders here, web shop orders through GraphQL: each check counts only its own channel's rows.
  const name = kind === 'orders' ? 'JD' : 'WMS';
  const item =
    kind === 'orders'
      ? channelPayload('JD')
      : eventPayload({ channel: 'WEBSHOP', channelOrderNo: 'WS20261120000123' });
  const body = fc.oneof(
    { arbitrary: item.map((v) => JSON.stringify(v) ?? 'null'), weight: 3 },
    { arbitrary: fc.array(item, { maxLength: 4 }).map((v) => JSON.stringify({ [kind]: v })), weight: 3 },
    { arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)), weight: 1 },
    { arbitrary: nastyString, weight: 1 },
  );
  const signedRight = fc.integer({ min: 0, max: 9 }).map((n) => n > 0);
  const request = fc.tuple(
    body,
    fc.constantFrom(...CONTENT_TYPES),
    fc.constantFrom(...ENCODINGS),
    signedRight,
  );
  const label = `webhook ${kind}`;
  return run(label, numRuns, seed, (answers) =>
    fc.asyncProperty(request, async ([payload, contentType, encoding, signedRight]) => {
      const timestamp = Math.floor(Date.now() / 1000);
      const headers: Record<string, string> = {
        'x-timestamp': String(timestamp),
        'x-signature': signWebhook(server.secrets[name], timestamp, signedRight ? payload : `${payload}x`),
      };
      if (contentType) headers['content-type'] = contentType;
      if (encoding) headers['content-encoding'] = encoding;
      // Orders: exactly those reported created are new rows (events are checked by their own suites).
      const counted = kind === 'orders';
      const before = counted ? await countOrders(server) : 0;
      const response = await fetch(`${server.url}/webhooks/${kind}/${name.toLowerCase()}`, {
        method: 'POST',
        headers,
        body: payload,
      });
      const answer = (await response.json().catch(() => null)) as Record<string, unknown> | null;
      check(response.status < 500, `answered ${response.status}`);
      check(answer !== null, `answered ${response.status} without JSON`);
      if (response.status === 200) {
        checkFieldErrors(answer.errors, 'webhook');
        const results = answer.results as Array<{ outcome: string }>;
        const created = results.filter((r) => r.outcome === 'CREATED').length;
        if (counted)
          check((await countOrders(server)) - before === created, 'wrote orders it did not report created');
        const some = (n: number) => (n > 0 ? 'some' : 'none');
        tally(
          answers,
          `200 ${some(results.length)} taken, ${some((answer.errors as unknown[]).length)} refused`,
          label,
        );
      } else {
        const error = answer.error as { code?: string } | undefined;
        check(
          typeof error?.code === 'string' && CODE.test(error.code),
          `answered ${response.status} without a code`,
        );
        if (counted)
          check((await countOrders(server)) === before, `answered ${response.status} but wrote orders`);
        tally(answers, `${response.status} ${error.code}`, label);
      }
    }),
  );
}

async function countOrders(server: EdgeServer): Promise<number> {
  const { rows } = await server.pool.query<{ n: number }>(
    "select count(*)::int as n from orders where channel = 'JD'",
  );
  return rows[0].n;
}

/** GraphQL operations of the public API with generated variables: never a 5xx or an uncoded error. */
const OPERATIONS = {
  login: {
    query:
      'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token userErrors { field code message } } }',
    variables: fc.record({ u: fc.oneof(nastyString, nastyValue), p: fc.oneof(nastyString, nastyValue) }),
    signedIn: false,
  },
  submitOrders: {
    query:
      'mutation ($i: SubmitOrdersInput!) { submitOrders(input: $i) { results { index outcome } userErrors { field code message } } }',
    variables: fc.record({
      i: fc.oneof(
        {
          arbitrary: fc.record({
            channel: fc.constant('WEBSHOP'),
            orders: fc.array(channelPayload('WEBSHOP'), { maxLength: 3 }),
          }),
          weight: 4,
        },
        { arbitrary: nastyValue, weight: 1 },
      ),
    }),
    signedIn: true,
  },
  recordOrderEvents: {
    query:
      'mutation ($i: RecordOrderEventsInput!) { recordOrderEvents(input: $i) { results { index outcome } userErrors { field code message } } }',
    variables: fc.record({
      i: fc.oneof(
        {
          arbitrary: fc.record({
            events: fc.array(eventPayload({ channel: 'WEBSHOP', channelOrderNo: 'WS20261120000123' }), {
              maxLength: 3,
            }),
          }),
          weight: 4,
        },
        { arbitrary: nastyValue, weight: 1 },
      ),
    }),
    signedIn: true,
  },
  orders: {
    query:
      'query ($f: OrderFilter, $n: Int, $a: String) { orders(filter: $f, first: $n, after: $a) { edges { cursor } } }',
    variables: fc.record({
      f: nastyValue,
      n: fc.oneof(extremeInt(), nastyValue),
      a: fc.oneof(nastyString, nastyValue),
    }),
    signedIn: true,
  },
} as const;

function extremeInt() {
  return fc.oneof(fc.integer({ min: -5, max: 300 }), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 1e20));
}

export type GraphQLEdge = keyof typeof OPERATIONS;
export const GRAPHQL_EDGES = Object.keys(OPERATIONS) as GraphQLEdge[];

export function graphqlProperty(server: EdgeServer, edge: GraphQLEdge, numRuns: number, seed?: number) {
  const operation = OPERATIONS[edge];
  const label = `graphql ${edge}`;
  return run(label, numRuns, seed, (answers) =>
    fc.asyncProperty(operation.variables as fc.Arbitrary<unknown>, async (variables) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(operation.signedIn ? { authorization: server.ops } : {}),
        },
        body: JSON.stringify({ query: operation.query, variables }),
      });
      check(response.status < 500, `answered ${response.status}`);
      const body = (await response.json()) as {
        data?: Record<string, { userErrors?: unknown }> | null;
        errors?: Array<{ extensions?: { code?: unknown } }>;
      };
      for (const error of body.errors ?? []) {
        const code = error.extensions?.code;
        check(typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR', `an error coded ${String(code)}`);
      }
      const payload = body.data?.[edge];
      if (payload && 'userErrors' in payload) checkFieldErrors(payload.userErrors, edge);
      const first = body.errors?.[0]?.extensions?.code;
      const userError = (payload?.userErrors as Array<{ code: string }> | undefined)?.[0]?.code;
      tally(answers, `${response.status} ${String(first ?? userError ?? 'OK')}`, label);
    }),
  );
}

/** Every edge, `numRuns` each: the adapters one after the other, the network edges side by side. */
export async function runAllEdges(
  server: EdgeServer,
  numRuns: number,
  seed?: number,
): Promise<EdgeFinding[]> {
  const findings: EdgeFinding[] = [];
  for (const channel of Object.keys(CHANNEL_FIXTURES) as Channel[])
    findings.push(await adapterProperty(channel, numRuns, seed));
  const network = await Promise.all([
    webhookProperty(server, 'orders', numRuns, seed),
    webhookProperty(server, 'events', numRuns, seed),
    ...GRAPHQL_EDGES.map((edge) => graphqlProperty(server, edge, numRuns, seed)),
  ]);
  return [...findings, ...network];
}
