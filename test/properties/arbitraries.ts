import { readFileSync } from 'node:fs';
import fc from 'fast-check';

/** Keys that reach prototypes when code merges objects carelessly. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** Strings that broke edges before: NUL, lone surrogates, huge, numeric-looking, empty. */
export const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    '\u0000',
    'a\u0000b',
    '\uD800',
    'x\uDC00y',
    '😀',
    '99999999999999999999',
    '-1',
    '1e400',
    'NaN',
    '2026-13-45T99:99:99Z',
    '2099-01-01T00:00:00Z',
    '1970-01-01T00:00:00Z',
    ...PROTOTYPE_KEYS,
  ),
  fc.integer({ min: 4_000, max: 120_000 }).map((n) => 'x'.repeat(n)),
);

/** Numbers at the edges of every representation. */
export const extremeNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -1,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 53,
    Number.MAX_SAFE_INTEGER + 2,
    -(2 ** 63),
    1e308,
    Number.MIN_VALUE,
    0.1 + 0.2,
  ),
);

const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...PROTOTYPE_KEYS));

/** Any JSON-ish value: wrong types everywhere, prototype keys, extreme numbers, nasty strings. */
export const nastyValue: fc.Arbitrary<unknown> = fc.anything({
  key,
  maxDepth: 3,
  maxKeys: 5,
  values: [nastyString, extremeNumber, fc.boolean(), fc.constant(null)],
});

type Path = Array<string | number>;

function leafPaths(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...path, i]));
  if (typeof value === 'object' && value !== null)
    return [path, ...Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]))];
  return [path];
}

function mutate(
  base: unknown,
  path: Path,
  action: 'replace' | 'delete' | 'protoKey',
  value: unknown,
): unknown {
  const copy = structuredClone(base);
  if (path.length === 0) return action === 'replace' ? value : copy;
  let parent = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (action === 'delete') delete parent[last];
  else if (action === 'protoKey')
    Object.defineProperty(parent, '__proto__', {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else parent[last] = value;
  return copy;
}

/** A real payload with one to three of its fields replaced, deleted, or given a `__proto__` sibling. */
export function mutated(base: unknown): fc.Arbitrary<unknown> {
  const paths = leafPaths(base);
  const one = fc.tuple(
    fc.integer({ min: 0, max: paths.length - 1 }),
    fc.constantFrom('replace' as const, 'replace' as const, 'delete' as const, 'protoKey' as const),
    nastyValue,
  );
  return fc.array(one, { minLength: 1, maxLength: 3 }).map((steps) =>
    steps.reduce((payload, [i, action, value]) => {
      try {
        return mutate(payload, paths[i], action, value);
      } catch {
        return payload; // the path went away with an earlier step
      }
    }, base),
  );
}

export const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(`test/fixtures/channels/${name}.json`, 'utf8'));

export const CHANNEL_FIXTURES = {
  TAOBAO: ['taobao-normal', 'taobao-presale-step'],
  JD: ['jd-normal', 'jd-presale'],
  DOUYIN: ['douyin-normal'],
  WEBSHOP: ['webshop-custom'],
} as const;

/** A channel payload: a mutated fixture of that channel, or anything at all. */
export function channelPayload(channel: keyof typeof CHANNEL_FIXTURES): fc.Arbitrary<unknown> {
  const bases = CHANNEL_FIXTURES[channel].map((name) => mutated(fixture(name)));
  return fc.oneof({ arbitrary: fc.oneof(...bases), weight: 4 }, { arbitrary: nastyValue, weight: 1 });
}

/** A lifecycle event: a plausible one with some fields made nasty, or anything at all. */
export function eventPayload(order: { channel: string; channelOrderNo: string }): fc.Arbitrary<unknown> {
  const plausible = {
    channel: order.channel,
    channelOrderNo: order.channelOrderNo,
    source: 'WMS',
    type: 'WMS_PICKING_STARTED',
    idempotencyKey: 'k-1',
    occurredAt: new Date(Date.now() - 60_000).toISOString(),
    payload: { warehouse: 'WH1' },
  };
  return fc.oneof({ arbitrary: mutated(plausible), weight: 4 }, { arbitrary: nastyValue, weight: 1 });
}
