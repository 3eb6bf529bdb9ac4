import { describe, expect, it } from 'vitest';
import { ORDER_EVENT_TYPES, parseOrderEvent } from '../../../api/src/domain/order/order-events.js';

const receivedAt = new Date('2024-11-25T02:00:00Z');
const valid = {
  source: 'WMS',
  type: 'WMS_PACKED',
  idempotencyKey: 'wms-7731-packed',
  occurredAt: '2024-11-25T09:58:00+08:00',
  payload: { packageNo: 'P-7731' },
};

const codesOf = (raw: unknown) => {
  const result = parseOrderEvent(raw, receivedAt);
  return result.ok ? [] : result.errors.map((e) => `${e.field}:${e.code}`);
};

describe('parseOrderEvent', () => {
  it('parses a valid event into typed values', () => {
    expect(parseOrderEvent(valid, receivedAt)).toEqual({
      ok: true,
      value: {
        source: 'WMS',
        type: 'WMS_PACKED',
        idempotencyKey: 'wms-7731-packed',
        occurredAt: new Date('2024-11-25T01:58:00Z'),
        receivedAt,
        payload: { packageNo: 'P-7731' },
      },
    });
  });

  it('accepts a Date, a missing payload, and a time up to 5 minutes ahead of ours', () => {
    const result = parseOrderEvent(
      { ...valid, occurredAt: new Date('2024-11-25T02:05:00Z'), payload: undefined },
      receivedAt,
    );
    expect(result).toMatchObject({
      ok: true,
      value: { payload: {}, occurredAt: new Date('2024-11-25T02:05:00Z') },
    });
  });

  it('refuses input that is not an object', () => {
    expect(codesOf('WMS_PACKED')).toEqual([':REQUIRED']);
    expect(codesOf(null)).toEqual([':REQUIRED']);
    expect(codesOf([valid])).toEqual([':REQUIRED']);
  });

  it('reports every missing field at once (REQUIRED)', () => {
    expect(codesOf({})).toEqual([
      'source:REQUIRED',
      'type:REQUIRED',
      'idempotencyKey:REQUIRED',
      'occurredAt:REQUIRED',
    ]);
    expect(codesOf({ ...valid, idempotencyKey: '   ' })).toEqual(['idempotencyKey:REQUIRED']);
  });

  it('refuses an unknown event type (UNKNOWN_EVENT_TYPE)', () => {
    expect(codesOf({ ...valid, type: 'WMS_TELEPORTED' })).toEqual(['type:UNKNOWN_EVENT_TYPE']);
    expect(codesOf({ ...valid, type: 'toString' })).toEqual(['type:UNKNOWN_EVENT_TYPE']);
  });

  it('refuses an unknown source (UNKNOWN_SOURCE)', () => {
    expect(codesOf({ ...valid, source: 'ERP' })).toEqual(['source:UNKNOWN_SOURCE']);
  });

  it('refuses a type reported by the wrong system (SOURCE_MISMATCH)', () => {
    const result = parseOrderEvent({ ...valid, source: 'TMS' }, receivedAt);
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'source', code: 'SOURCE_MISMATCH', message: 'WMS_PACKED is reported by WMS, not by TMS' },
      ],
    });
    expect(codesOf({ ...valid, source: 'WMS', type: 'TMS_DELIVERED' })).toEqual(['source:SOURCE_MISMATCH']);
    expect(codesOf({ ...valid, source: 'CHANNEL', type: 'PAYMENT_CONFIRMED' })).toEqual([]);
  });

  it.each(['2024-11-25 09:58:00', '2024-11-25T09:58:00', '2024-13-25T09:58:00Z', 'yesterday', 1732499880000])(
    'refuses %o as a time (INVALID_TIME)',
    (occurredAt) => {
      expect(codesOf({ ...valid, occurredAt })).toEqual(['occurredAt:INVALID_TIME']);
    },
  );

  it('refuses an event from more than 5 minutes in the future (FUTURE_EVENT)', () => {
    expect(codesOf({ ...valid, occurredAt: '2024-11-25T10:05:01+08:00' })).toEqual([
      'occurredAt:FUTURE_EVENT',
    ]);
  });

  it('refuses a payload that is not an object (INVALID_PAYLOAD)', () => {
    expect(codesOf({ ...valid, payload: 'P-7731' })).toEqual(['payload:INVALID_PAYLOAD']);
  });

  it('knows every event type it advertises', () => {
    expect(ORDER_EVENT_TYPES).toContain('NOTE_ADDED');
    expect(ORDER_EVENT_TYPES).toHaveLength(new Set(ORDER_EVENT_TYPES).size);
  });
});
