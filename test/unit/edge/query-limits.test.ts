import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkQueryLimits, createQueryLimitRules } from '../../../api/src/infra/graphql/query-limits.js';

const schema = buildSchema(`
  type Query { node: Node, nodes(first: Int = 5): NodeConnection }
  type Node { id: ID, name: String, child: Node }
  type NodeConnection { edges: [NodeEdge], pageInfo: PageInfo }
  type NodeEdge { node: Node }
  type PageInfo { hasNextPage: Boolean }
`);

/** `levels` fragments, each spreading the next twice: 2^levels leaf spreads in a small document. */
function nestedFragments(levels: number): string {
  const parts = ['query { node { ...F0 } }'];
  for (let i = 0; i < levels; i++)
    parts.push(`fragment F${i} on Node { child { ...F${i + 1} } ...F${i + 1} }`);
  parts.push(`fragment F${levels} on Node { id name }`);
  return parts.join('\n');
}

describe('query limits', () => {
  it('measures each fragment once: a 2 KB document of 24 doubling levels gets its exact cost and depth', () => {
    const source = nestedFragments(24);
    expect(source.length).toBeLessThan(2100);
    const document = parse(source);
    // Without the memo this walk makes 2^24 visits and runs for many seconds; with it, 50.
    const errors = validate(schema, document, [
      ...specifiedRules,
      ...createQueryLimitRules({ maxDepth: 1000, maxCost: 1 }),
    ]);
    const cost = errors.find((e) => e.extensions.code === 'QUERY_TOO_COSTLY');
    const depth = errors.find((e) => e.extensions.code === 'QUERY_TOO_DEEP');
    expect(depth).toBeUndefined();
    // cost(level k) = 2·cost(k+1) + 1, cost(24) = 2, plus the root field: 2^25 + 2^24 − 1 + 1.
    expect(cost?.extensions.cost).toBe(2 ** 25 + 2 ** 24);
    const deep = validate(schema, document, createQueryLimitRules({ maxDepth: 10, maxCost: 1e12 }));
    expect(deep[0].extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', depth: 26 });
  });

  it('counts a fragment spread cycle as nothing instead of looping (graphql-js refuses the cycle)', () => {
    const document = parse(
      'query { node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { ...A }',
    );
    const errors = validate(schema, document, [
      ...specifiedRules,
      ...createQueryLimitRules({ maxDepth: 5, maxCost: 100 }),
    ]);
    expect(errors.map((e) => e.message).join()).toMatch(/Cannot spread fragment "A" within itself/);
  });

  it('prices a page size variable by the value passed, not by its default', () => {
    const document = parse('query ($n: Int) { nodes(first: $n) { edges { node { id name } } } }');
    const limits = { maxDepth: 10, maxCost: 100 };
    expect(validate(schema, document, createQueryLimitRules(limits))).toEqual([]);
    expect(checkQueryLimits(schema, document, null, { n: 10 }, limits)).toBeNull();
    const refused = checkQueryLimits(schema, document, null, { n: 200 }, limits);
    expect(refused?.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', cost: 1 + 1 + 200 * 3 });
    // Nonsense values cost as the default: the resolver refuses them anyway.
    expect(checkQueryLimits(schema, document, null, { n: 'many' }, limits)).toBeNull();
    expect(checkQueryLimits(schema, document, null, { n: -5 }, limits)).toBeNull();
  });
});
