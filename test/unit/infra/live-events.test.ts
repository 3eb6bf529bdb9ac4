import { describe, expect, it } from 'vitest';
import { timeOrderedUuid } from '../../../api/src/infra/ids/time-ordered-uuid.js';
import { eventsOf, liveEventsEntry } from '../../../api/src/infra/pubsub/live-events.js';

const event = (orderId: string) => ({
  orderId,
  channel: 'JD',
  channelOrderNo: `JD-${orderId}`,
  state: 'PAID',
  previousState: 'PAID',
  groupId: null,
  abnormal: true,
  occurredAt: '2026-11-25T08:00:00.000Z',
});

describe('live events through the outbox', () => {
  it('writes the events of one change as one message of their topic, and nothing for none', () => {
    const [entry, ...rest] = liveEventsEntry('ORDER_UPDATED', [event('a'), event('b')]);
    expect(rest).toEqual([]);
    expect(entry.topic).toBe('order.updated');
    expect(entry.payload).toEqual({ events: [event('a'), event('b')] });
    expect(entry.dedupeKey).toMatch(/^order\.updated:batch:[0-9a-f-]{36}$/);
    expect(liveEventsEntry('ORDER_UPDATED', [event('c')])[0].dedupeKey).not.toBe(entry.dedupeKey);
    expect(liveEventsEntry('TICKET_RAISED', [])).toEqual([]);
  });

  it('gives each event of a batch its own id, stable across redeliveries of the message', () => {
    const message = { id: '41', payload: { events: [event('a'), event('b')] } };
    expect(eventsOf(message)).toEqual([
      { ...event('a'), eventId: '41.0' },
      { ...event('b'), eventId: '41.1' },
    ]);
    expect(eventsOf(message)).toEqual(eventsOf(message));
  });

  it('still reads a message that carries one event as its payload', () => {
    expect(eventsOf({ id: '7', payload: event('a') })).toEqual([{ ...event('a'), eventId: '7' }]);
  });
});

describe('time-ordered ids', () => {
  it('are version 7 UUIDs that sort by the millisecond they were made in, and never repeat', () => {
    const ids = Array.from({ length: 1000 }, (_, i) =>
      timeOrderedUuid(1_764_000_000_000 + Math.floor(i / 10)),
    );
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const prefixes = ids.map((id) => id.slice(0, 13));
    expect([...prefixes].sort()).toEqual(prefixes);
    expect(timeOrderedUuid(0).startsWith('00000000-0000-7')).toBe(true);
  });
});
