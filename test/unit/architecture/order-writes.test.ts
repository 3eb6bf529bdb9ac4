import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The orders module owns the `orders` row: every INSERT, UPDATE, DELETE (or MikroORM write of the
 * `Order` entity) lives under `api/src/modules/orders/`. Other modules call its functions
 * (`order-store.ts`). Migrations are the schema's own history and are exempt.
 */
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const ROOT = join(REPO, 'api', 'src');
const OWNER = `modules${sep}orders${sep}`;
const EXEMPT = [OWNER, `infra${sep}db${sep}migrations${sep}`];

/** Raw SQL writing `orders` (any spacing, line breaks, quoting or schema), or ORM writes of `Order`. */
const WRITES: readonly RegExp[] = [
  /\b(?:insert\s+into|update|delete\s+from|merge\s+into)\s+(?:only\s+)?(?:"?public"?\.)?"?orders"?(?![\w"])/gi,
  /\btruncate\s+(?:table\s+)?(?:only\s+)?(?:[\w".]+\s*,\s*)*(?:"?public"?\.)?"?orders"?(?![\w"])/gi,
  /\b(?:nativeUpdate|nativeInsert|nativeDelete|insertMany|upsert|upsertMany|create|remove|assign)\(\s*Order\b/g,
];

/** Every place in `text` that writes `orders`, as `line: match`. */
function orderWrites(text: string): string[] {
  const found: string[] = [];
  for (const pattern of WRITES) {
    for (const match of text.matchAll(pattern)) {
      const line = text.slice(0, match.index).split('\n').length;
      found.push(`${line}: ${match[0].replace(/\s+/g, ' ')}`);
    }
  }
  return found;
}

/**
 * Tests and benchmarks build order rows with `test/support/order-rows.ts`. These files still
 * write their own INSERT and are to move to it; the list may only shrink.
 */
const ROW_HELPER = join('test', 'support', 'order-rows.ts');
const NOT_YET_ON_THE_HELPER = [
  'bench/tracking/kuaidi100-push.bench.ts',
  'bench/tracking/tracking-seed.ts',
  'test/e2e/tracking-site.test.ts',
  'test/integration/orders/orders-query.test.ts',
  'test/integration/reconciliation/http-edges.test.ts',
  'test/support/reconciliation-set.ts',
].map((path) => path.split('/').join(sep));
/** Files that mention such a statement without running one (a classifier of timed statements; this test). */
const MENTIONS_ONLY = [join('bench', 'intake.bench.ts'), relative(REPO, fileURLToPath(import.meta.url))];
const INSERTS = /\binsert\s+into\s+(?:"?public"?\.)?"?orders"?(?![\w"])/i;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('one owner of the order row', () => {
  it('finds raw and ORM writes of orders however they are spelt', () => {
    expect(orderWrites('await c.query(`UPDATE\n   orders o set state = $1`)')).toEqual(['1: UPDATE orders']);
    expect(orderWrites("q('insert into public.orders (id) values ($1)')")).toHaveLength(1);
    expect(orderWrites('delete from "orders" where id = $1')).toHaveLength(1);
    expect(orderWrites('truncate order_event, orders')).toHaveLength(1);
    expect(orderWrites('em.nativeUpdate(Order, { id }, { abnormal: true })')).toHaveLength(1);
    // Reads, other tables and row locks are not writes.
    expect(orderWrites('select * from orders for update skip locked')).toEqual([]);
    expect(orderWrites('update orders_raw set x = 1; insert into order_event (id) values (1)')).toEqual([]);
    expect(orderWrites('em.create(OrderNote, {})')).toEqual([]);
  });

  it('no file outside the orders module writes orders', () => {
    const files = sourceFiles(ROOT);
    expect(files.length).toBeGreaterThan(100);
    const writers = files
      .map((path) => relative(ROOT, path))
      .filter((path) => !EXEMPT.some((prefix) => path.startsWith(prefix)))
      .flatMap((path) => orderWrites(readFileSync(join(ROOT, path), 'utf8')).map((at) => `${path}:${at}`));
    expect(writers, 'write orders through api/src/modules/orders/order-store.ts').toEqual([]);
  });

  it('tests and benchmarks build order rows through the one helper', () => {
    const files = [...sourceFiles(join(REPO, 'test')), ...sourceFiles(join(REPO, 'bench'))].map((path) =>
      relative(REPO, path),
    );
    const own = files.filter(
      (path) =>
        path !== ROW_HELPER &&
        !MENTIONS_ONLY.includes(path) &&
        !NOT_YET_ON_THE_HELPER.includes(path) &&
        INSERTS.test(readFileSync(join(REPO, path), 'utf8')),
    );
    expect(
      own,
      'build order rows with insertOrderRows / bulkOrderInsertSql (test/support/order-rows.ts)',
    ).toEqual([]);
    // A file on the list that no longer inserts leaves the list.
    const moved = NOT_YET_ON_THE_HELPER.filter(
      (path) => files.includes(path) && !INSERTS.test(readFileSync(join(REPO, path), 'utf8')),
    );
    expect(moved, 'remove from NOT_YET_ON_THE_HELPER').toEqual([]);
  });
});
