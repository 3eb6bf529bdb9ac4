/**
 * GraphQL validation time of small hostile documents against the platform's schema: graphql-js's
 * own rules plus the depth and cost limits, as every request runs them. Each document is about
 * 2 KB. Reports the median and worst of 50 validations per document (after 5 warm-ups), and the
 * same for graphql-js's rules alone. Goal: worst ≤ 10 ms for any 2 KB document.
 * Usage: `npm run bench:validation`.
 */
import 'reflect-metadata';
import { createPubSub } from '@graphql-yoga/subscription';
import { parse, specifiedRules, validate } from 'graphql';
import { authChecker } from '../api/src/app/auth-checker.js';
import { RESOLVERS } from '../api/src/app/resolvers.js';
import { buildGraphQLSchema } from '../api/src/infra/graphql/build-schema.js';
import {
  createQueryLimitRules,
  DEFAULT_MAX_COST,
  DEFAULT_MAX_DEPTH,
} from '../api/src/infra/graphql/query-limits.js';
import { maxStringLiteralRule } from '../api/src/infra/http/edge-limits.js';
import { describeMachine, loadLine, machineLine } from './support/machine.js';

const schema = await buildGraphQLSchema(RESOLVERS, createPubSub(), authChecker);
const limits = [
  ...createQueryLimitRules({ maxDepth: DEFAULT_MAX_DEPTH, maxCost: DEFAULT_MAX_COST }),
  maxStringLiteralRule(10_000),
];

/** 24 fragments on Order, each spreading the next twice (one through `items`'s sibling). */
function nestedFragments(levels: number): string {
  const parts = ['{ orders(first: 50) { edges { node { ...F0 } } } }'];
  for (let i = 0; i < levels; i++)
    parts.push(`fragment F${i} on Order { id channelOrderNo state businessType ...F${i + 1} ...F${i + 1} }`);
  parts.push(`fragment F${levels} on Order { channelOrderNo total { amount } }`);
  return parts.join('\n');
}

/** Fields nested as deep as the schema allows, repeated under aliases up to ~2 KB. */
function aliasedPages(): string {
  const page = (n: number) =>
    `p${n}: orders(first: 200) { edges { node { id items { sku title } timeline { kind occurredAt } buyer { name phone } } } }`;
  const fields: string[] = [];
  for (let n = 0; fields.join(' ').length < 1900; n++) fields.push(page(n));
  return `{ ${fields.join(' ')} }`;
}

/** Many fragments spread side by side on one selection (graphql-js's overlap rule compares them). */
function wideFragments(count: number): string {
  const spreads = Array.from({ length: count }, (_, i) => `...W${i}`).join(' ');
  const fragments = Array.from({ length: count }, (_, i) => `fragment W${i} on Order { id state }`).join(
    '\n',
  );
  return `{ orders { edges { node { ${spreads} } } } }\n${fragments}`;
}

const DOCUMENTS = {
  'nested fragments (24 levels, each spread twice)': nestedFragments(24),
  'aliased costly pages': aliasedPages(),
  'wide fragments (48 side by side)': wideFragments(48),
};

function measure(source: string, rules: typeof specifiedRules) {
  const document = parse(source);
  const times: number[] = [];
  for (let i = 0; i < 55; i++) {
    const started = performance.now();
    validate(schema, document, rules);
    if (i >= 5) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], worst: times[times.length - 1] };
}

console.log(machineLine(describeMachine()));
console.log(`${loadLine()}\n`);
let worst = 0;
for (const [name, source] of Object.entries(DOCUMENTS)) {
  const all = measure(source, [...specifiedRules, ...limits]);
  const own = measure(source, specifiedRules);
  worst = Math.max(worst, all.worst);
  console.log(
    `${name.padEnd(50)} ${String(source.length).padStart(5)} B  with limits median ${all.median.toFixed(2)} ms, worst ${all.worst.toFixed(2)} ms; graphql-js alone median ${own.median.toFixed(2)} ms, worst ${own.worst.toFixed(2)} ms`,
  );
}
console.log(`\nworst validation with the limits: ${worst.toFixed(2)} ms (goal ≤ 10 ms)`);
