/** The platform's public part, as the page uses it. Base URL: same origin, or PUBLIC_API_BASE at build. */
export const API_BASE: string = (import.meta.env.PUBLIC_API_BASE as string | undefined) ?? '';
const BASE = API_BASE;

/** Where the page keeps the customer's session (`{ token, expiresAt }`) for this tab. */
export const SESSION_KEY = 'orderops.customer';

export interface ApiError {
  code: string;
  message: string;
  retryAfterSeconds?: number;
  remainingTries?: number;
}

export type Answer<T> = { ok: true; value: T } | { ok: false; error: ApiError };

async function postJson<T>(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  sent?: Promise<Response>,
): Promise<Answer<T>> {
  try {
    const response = await (sent ??
      fetch(`${BASE}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }));
    const data = await response.json().catch(() => ({}));
    if (response.ok && !data.errors) return { ok: true, value: data as T };
    const error = data.error ?? data.errors?.[0]?.extensions ?? {};
    return {
      ok: false,
      error: {
        message: data.error?.message ?? data.errors?.[0]?.message ?? '服务暂时不可用，请稍后再试',
        ...error,
        code: error.code ?? `HTTP_${response.status}`,
      },
    };
  } catch {
    return { ok: false, error: { code: 'NETWORK', message: '网络不可用，请检查网络后重试' } };
  }
}

export const requestCode = (phone: string) =>
  postJson<{ sent: true; resendAfterSeconds: number; expiresAt: string }>('/api/customer/code', { phone });

export const verifyCode = (phone: string, code: string) =>
  postJson<{ token: string; expiresAt: string }>('/api/customer/session', { phone, code });

export interface TraceLine {
  at: string;
  text: string;
  location: string | null;
}

export interface Parcel {
  id: string;
  carrierName: string;
  waybillNo: string;
  status: string;
  etaText: string | null;
  stalled: boolean;
  stallReason: string | null;
  trace: TraceLine[];
}

export interface Order {
  id: string;
  channelOrderNo: string;
  status: string;
  orderedAt: string;
  items: string[];
  receiverName: string;
  receiverPhone: string;
  receiverAddress: string;
  shipments: Parcel[];
  timeline: TraceLine[];
}

/** The site's one query. The page's head sends it for a saved session before the rest loads. */
export const MY_ORDERS_QUERY = `{ myOrders { id channelOrderNo status orderedAt items receiverName receiverPhone receiverAddress
  shipments { id carrierName waybillNo status etaText stalled stallReason trace { at text location } }
  timeline { at text location } } }`;

export async function myOrders(token: string): Promise<Answer<Order[]>> {
  // The lookup the page's head already sent for this token, used once.
  const early = globalThis as { earlyOrders?: { token: string; sent: Promise<Response> } };
  const sent = early.earlyOrders?.token === token ? early.earlyOrders.sent : undefined;
  early.earlyOrders = undefined;
  const answer = await postJson<{ data: { myOrders: Order[] } }>(
    '/graphql',
    { query: MY_ORDERS_QUERY },
    { authorization: `Customer ${token}` },
    sent,
  );
  return answer.ok ? { ok: true, value: answer.value.data.myOrders } : answer;
}

/**
 * Listens for changes of the customer's orders over graphql-ws (its protocol is small: init,
 * subscribe, next; written out here so the page carries no client library). Reconnects with
 * backoff; the page works without it.
 */
export function watchOrders(
  token: string,
  onChange: () => void,
  onState: (live: boolean) => void,
): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let delay = 1000;
  const url = `${(BASE || location.origin).replace(/^http/, 'ws')}/graphql`;
  const connect = () => {
    if (stopped) return;
    socket = new WebSocket(url, 'graphql-transport-ws');
    socket.onopen = () =>
      socket?.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Customer ${token}` } }),
      );
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data));
      if (message.type === 'connection_ack') {
        delay = 1000;
        onState(true);
        socket?.send(
          JSON.stringify({
            id: '1',
            type: 'subscribe',
            payload: { query: 'subscription { myOrderUpdated { orderId state } }' },
          }),
        );
      } else if (message.type === 'next') onChange();
      else if (message.type === 'ping') socket?.send(JSON.stringify({ type: 'pong' }));
    };
    socket.onclose = () => {
      onState(false);
      if (stopped) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30_000);
    };
  };
  connect();
  return () => {
    stopped = true;
    socket?.close();
  };
}
