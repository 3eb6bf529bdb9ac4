import type pg from 'pg';

/** One node of `EXPLAIN (FORMAT JSON)`, with the fields the checks read. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/** A pool stand-in that answers every query with its plan instead of running it. */
export interface ExplainingDb {
  query(
    statement: string | { text: string; values?: unknown[] },
    values?: unknown[],
  ): Promise<{ rows: never[]; rowCount: 0 }>;
  /** The statements seen so far, each with its plan, oldest first. */
  readonly explained: { text: string; plan: PlanNode }[];
}

/**
 * Hands the real query code a database that EXPLAINs (FORMAT JSON) each statement with its
 * parameters and answers with no rows, so a test checks the SQL the code actually builds.
 */
export function explainingDb(client: pg.Pool | pg.PoolClient): ExplainingDb {
  const explained: { text: string; plan: PlanNode }[] = [];
  return {
    explained,
    async query(statement: string | { text: string; values?: unknown[] }, values: unknown[] = []) {
      // Named statements (a config object) are explained by their text and values.
      const text = typeof statement === 'string' ? statement : statement.text;
      if (typeof statement !== 'string') values = statement.values ?? [];
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `explain (format json) ${text}`,
        values,
      );
      explained.push({ text, plan: rows[0]['QUERY PLAN'][0].Plan });
      return { rows: [] as never[], rowCount: 0 as const };
    },
  };
}

const SCANS = new Set(['Seq Scan', 'Index Scan', 'Index Only Scan', 'Bitmap Heap Scan', 'Tid Scan']);

/**
 * What makes a plan grow with `table`: a sequential scan of it, or a Sort whose input reads rows
 * of it that no Limit bounds. A sort over rows an index condition pins to a few parents (one
 * order's payments, a page's shipments: `boundedKey`) is bounded and allowed.
 */
export function unboundedParts(plan: PlanNode, table: string, boundedKey?: RegExp): string[] {
  const problems: string[] = [];
  const visit = (node: PlanNode) => {
    if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] === table)
      problems.push(`Seq Scan on ${table}`);
    if (node['Node Type'] === 'Sort') {
      for (const scan of unlimitedScans(node, table)) {
        const cond = `${scan['Index Cond'] ?? ''} ${scan['Recheck Cond'] ?? ''}`;
        if (!boundedKey?.test(cond))
          problems.push(
            `Sort over ${scan['Node Type']} on ${table}${scan['Index Name'] ? ` using ${scan['Index Name']}` : ''} (no Limit below the Sort)`,
          );
      }
    }
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(plan);
  return problems;
}

/** Scans of `table` under `node` reached without passing a Limit. */
function unlimitedScans(node: PlanNode, table: string): PlanNode[] {
  const found: PlanNode[] = [];
  const walk = (n: PlanNode) => {
    if (n['Node Type'] === 'Limit') return;
    if (SCANS.has(n['Node Type']) && n['Relation Name'] === table) found.push(n);
    for (const child of n.Plans ?? []) walk(child);
  };
  for (const child of node.Plans ?? []) walk(child);
  return found;
}

/** The plan as indented lines, for a failure message. */
export function planText(node: PlanNode, depth = 0): string {
  const what = [node['Node Type'], node['Relation Name'] && `on ${node['Relation Name']}`, node['Index Name']]
    .filter(Boolean)
    .join(' ');
  const cond = node['Index Cond'] ?? node['Recheck Cond'] ?? node.Filter;
  const line = `${'  '.repeat(depth)}${what}${cond ? `  [${String(cond)}]` : ''}`;
  return [line, ...(node.Plans ?? []).map((child) => planText(child, depth + 1))].join('\n');
}
