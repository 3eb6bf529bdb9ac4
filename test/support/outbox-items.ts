/**
 * The outbox as one row per event: a message carrying a batch of subscription events
 * (`{ events: [...] }`) becomes one row per event, and a WeCom digest of several orders
 * (`{ orderIds: [...] }`) one row per order, its payload holding that order's `orderId`, with the
 * message's other columns. Use it as a table:
 * `select topic, payload from ${OUTBOX_ITEMS} m where m.payload->>'orderId' = $1`.
 */
export const OUTBOX_ITEMS = `(select m.id, m.topic, m.dedupe_key, coalesce(e.value, m.payload) as payload,
         m.delivered_by, m.delivered_at, m.attempts
    from outbox_message m
    left join lateral (
           select value from jsonb_array_elements(
             case when jsonb_typeof(m.payload->'events') = 'array' then m.payload->'events' end)
           union all
           select (m.payload - 'orderIds') || jsonb_build_object('orderId', value) from jsonb_array_elements(
             case when jsonb_typeof(m.payload->'orderIds') = 'array' then m.payload->'orderIds' end)) e on true)`;
