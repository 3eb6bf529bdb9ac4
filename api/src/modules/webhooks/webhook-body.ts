import type { FieldError } from '../../domain/shared/result.js';

export type WebhookBody = { ok: true; items: unknown[] } | { ok: false; status: 400; errors: FieldError[] };

/**
 * The items of a webhook body: one item as is, a JSON array, or `{ "<listKey>": [...] }` with
 * that single key (a Taobao trade has its own `orders` field, so an object with other keys is
 * always one item). The raw bytes must be UTF-8 JSON.
 */
export function readWebhookBody(raw: Buffer, listKey: string, max: number): WebhookBody {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return refuse('', 'INVALID_JSON', 'the body is not valid JSON');
  }
  let items: unknown[];
  if (Array.isArray(body)) items = body;
  else if (typeof body === 'object' && body !== null) {
    const keys = Object.keys(body);
    const list = (body as Record<string, unknown>)[listKey];
    if (keys.length === 1 && keys[0] === listKey) {
      if (!Array.isArray(list)) return refuse(listKey, 'INVALID_TYPE', `${listKey} must be an array`);
      items = list;
    } else items = [body];
  } else {
    return refuse('', 'INVALID_BODY', `the body must be an object, an array or { "${listKey}": [...] }`);
  }
  if (items.length === 0) return refuse(listKey, 'REQUIRED', `no ${listKey} in the body`);
  if (items.length > max)
    return refuse(listKey, 'TOO_MANY', `at most ${max} ${listKey} per request, got ${items.length}`);
  return { ok: true, items };
}

const refuse = (field: string, code: string, message: string): WebhookBody => ({
  ok: false,
  status: 400,
  errors: [{ field, code, message }],
});
