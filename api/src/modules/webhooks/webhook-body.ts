import type { FieldError } from '../../domain/shared/result.js';

export type WebhookBody =
  | { ok: true; items: unknown[]; flags?: Readonly<Record<string, boolean>> }
  | { ok: false; status: 400; errors: FieldError[] };

/**
 * The items of a webhook body: one item as is, a JSON array, or `{ "<listKey>": [...] }` with
 * that single key (a Taobao trade has its own `orders` field, so an object with other keys is
 * always one item). Beside the list, the wrapper may carry the boolean `flagKeys` (the order
 * webhook's `backfill`); they are signed with the rest of the body. The raw bytes must be UTF-8 JSON.
 */
export function readWebhookBody(
  raw: Buffer,
  listKey: string,
  max: number,
  flagKeys: readonly string[] = [],
): WebhookBody {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return refuse('', 'INVALID_JSON', 'the body is not valid JSON');
  }
  let items: unknown[];
  const flags: Record<string, boolean> = {};
  if (Array.isArray(body)) items = body;
  else if (typeof body === 'object' && body !== null) {
    const keys = Object.keys(body);
    const record = body as Record<string, unknown>;
    const list = record[listKey];
    if (keys.includes(listKey) && keys.every((key) => key === listKey || flagKeys.includes(key))) {
      if (!Array.isArray(list)) return refuse(listKey, 'INVALID_TYPE', `${listKey} must be an array`);
      for (const key of keys.filter((k) => k !== listKey)) {
        if (typeof record[key] !== 'boolean')
          return refuse(key, 'INVALID_TYPE', `${key} must be true or false`);
        flags[key] = record[key] as boolean;
      }
      items = list;
    } else items = [body];
  } else {
    return refuse('', 'INVALID_BODY', `the body must be an object, an array or { "${listKey}": [...] }`);
  }
  if (items.length === 0) return refuse(listKey, 'REQUIRED', `no ${listKey} in the body`);
  if (items.length > max)
    return refuse(listKey, 'TOO_MANY', `at most ${max} ${listKey} per request, got ${items.length}`);
  return Object.keys(flags).length > 0 ? { ok: true, items, flags } : { ok: true, items };
}

const refuse = (field: string, code: string, message: string): WebhookBody => ({
  ok: false,
  status: 400,
  errors: [{ field, code, message }],
});
