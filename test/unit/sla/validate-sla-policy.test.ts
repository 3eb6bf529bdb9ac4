import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_POLICIES } from '../../../api/src/domain/sla/sla-policy.js';
import { parseSlaPolicyInput } from '../../../api/src/domain/sla/validate-sla-policy.js';

const valid = () => ({
  name: '天猫普通单',
  businessType: 'NORMAL',
  channel: 'TAOBAO',
  stages: [
    { target: 'WAREHOUSE_ACCEPTED', from: 'PAID_AT', withinMinutes: 30 },
    { target: 'SHIPPED', from: 'STATE_ENTERED:PACKED', withinMinutes: 60 },
  ],
  escalation: [
    { level: 1, afterMinutes: 0, actions: ['FLAG_ABNORMAL', 'REMIND_OWNER'] },
    { afterMinutes: 120, actions: ['ESCALATE_SUPERVISOR'] },
  ],
});

/** The `field code` pairs of a failed parse. */
function defects(raw: unknown): string[] {
  const result = parseSlaPolicyInput(raw);
  if (result.ok) throw new Error('expected the input to be rejected');
  return result.errors.map((error) => `${error.field} ${error.code}`);
}

function withStage(stage: Record<string, unknown>) {
  return { ...valid(), stages: [stage] };
}

describe('parseSlaPolicyInput', () => {
  it('accepts a valid policy and fills the optional scope with null', () => {
    const result = parseSlaPolicyInput(valid());
    expect(result).toEqual({
      ok: true,
      value: {
        name: '天猫普通单',
        businessType: 'NORMAL',
        channel: 'TAOBAO',
        groupId: null,
        stages: [
          { target: 'WAREHOUSE_ACCEPTED', from: 'PAID_AT', withinMinutes: 30 },
          { target: 'SHIPPED', from: 'STATE_ENTERED:PACKED', withinMinutes: 60 },
        ],
        escalation: [
          { afterMinutes: 0, actions: ['FLAG_ABNORMAL', 'REMIND_OWNER'] },
          { afterMinutes: 120, actions: ['ESCALATE_SUPERVISOR'] },
        ],
      },
    });
  });

  it('reads a bare state in `from` as STATE_ENTERED and keeps a production allowance', () => {
    const result = parseSlaPolicyInput({
      ...withStage({ target: 'PICKING', from: 'PAID', allowanceMinutes: 4320, withinMinutes: 120 }),
      businessType: 'CUSTOM',
    });
    expect(result.ok && result.value.stages).toEqual([
      { target: 'PICKING', from: 'STATE_ENTERED:PAID', allowanceMinutes: 4320, withinMinutes: 120 },
    ]);
  });

  it('accepts every default policy unchanged', () => {
    for (const policy of DEFAULT_SLA_POLICIES) {
      expect(parseSlaPolicyInput(policy)).toEqual({ ok: true, value: policy });
    }
  });

  it('NEGATIVE_DURATION for negative minutes', () => {
    expect(defects(withStage({ target: 'PICKING', from: 'PAID_AT', withinMinutes: -5 }))).toEqual([
      'stages[0].withinMinutes NEGATIVE_DURATION',
    ]);
  });

  it('TOO_LARGE beyond 30 days', () => {
    expect(defects(withStage({ target: 'PICKING', from: 'PAID_AT', withinMinutes: 43_201 }))).toEqual([
      'stages[0].withinMinutes TOO_LARGE',
    ]);
    expect(
      parseSlaPolicyInput(withStage({ target: 'PICKING', from: 'PAID_AT', withinMinutes: 43_200 })).ok,
    ).toBe(true);
  });

  it('UNKNOWN_STAGE for a target that is no state, off the path, or not after its start', () => {
    expect(defects(withStage({ target: 'PRODUCING', from: 'PAID_AT', withinMinutes: 10 }))).toEqual([
      'stages[0].target UNKNOWN_STAGE',
    ]);
    expect(defects(withStage({ target: 'CANCELLED', from: 'PAID_AT', withinMinutes: 10 }))).toEqual([
      'stages[0].target UNKNOWN_STAGE',
    ]);
    expect(
      defects(withStage({ target: 'PICKING', from: 'STATE_ENTERED:PACKED', withinMinutes: 10 })),
    ).toEqual(['stages[0].target UNKNOWN_STAGE']);
    expect(defects(withStage({ target: 'PAID', from: 'PAID_AT', withinMinutes: 10 }))).toEqual([
      'stages[0].target UNKNOWN_STAGE',
    ]);
  });

  it('UNKNOWN_STAGE for an unknown anchor, and for a balance payment outside PRESALE', () => {
    expect(defects(withStage({ target: 'PICKING', from: 'STATE_ENTERED:LOST', withinMinutes: 10 }))).toEqual([
      'stages[0].from UNKNOWN_STAGE',
    ]);
    expect(defects(withStage({ target: 'PICKING', from: 'BALANCE_PAID_AT', withinMinutes: 10 }))).toEqual([
      'stages[0].from UNKNOWN_STAGE',
    ]);
    const presale = { ...withStage({ target: 'PICKING', from: 'BALANCE_PAID_AT', withinMinutes: 10 }) };
    expect(parseSlaPolicyInput({ ...presale, businessType: 'PRESALE' }).ok).toBe(true);
  });

  it('DUPLICATE_STAGE for the same target from the same start; another start is an alternative', () => {
    const stage = { target: 'SHIPPED', from: 'BALANCE_PAID_AT', withinMinutes: 4320 };
    const input = {
      ...valid(),
      businessType: 'PRESALE',
      stages: [{ target: 'SHIPPED', from: 'PROMISED_SHIP_AT', withinMinutes: 0 }, stage, stage],
    };
    expect(defects(input)).toEqual(['stages[2] DUPLICATE_STAGE']);
  });

  it('EMPTY_STAGES for an empty list, REQUIRED when missing', () => {
    expect(defects({ ...valid(), stages: [] })).toEqual(['stages EMPTY_STAGES']);
    expect(defects({ ...valid(), stages: undefined })).toEqual(['stages REQUIRED']);
  });

  it('CHAIN_NOT_INCREASING when a level is not strictly later than the one before', () => {
    const escalation = [
      { afterMinutes: 60, actions: ['FLAG_ABNORMAL'] },
      { afterMinutes: 60, actions: ['REMIND_OWNER'] },
      { afterMinutes: 30, actions: ['ESCALATE_SUPERVISOR'] },
    ];
    expect(defects({ ...valid(), escalation })).toEqual([
      'escalation[1].afterMinutes CHAIN_NOT_INCREASING',
      'escalation[2].afterMinutes CHAIN_NOT_INCREASING',
    ]);
  });

  it('UNKNOWN_ACTION at the action index', () => {
    const escalation = [{ afterMinutes: 0, actions: ['FLAG_ABNORMAL', 'CALL_CEO'] }];
    expect(defects({ ...valid(), escalation })).toEqual(['escalation[0].actions[1] UNKNOWN_ACTION']);
  });

  it('UNKNOWN_BUSINESS_TYPE', () => {
    expect(defects({ ...valid(), businessType: 'WHOLESALE' })).toEqual([
      'businessType UNKNOWN_BUSINESS_TYPE',
    ]);
  });

  it('REQUIRED for missing name, business type, stage fields, levels and actions', () => {
    expect(
      defects({
        stages: [{}],
        escalation: [{ actions: [] }],
      }),
    ).toEqual([
      'name REQUIRED',
      'businessType REQUIRED',
      'stages[0].target REQUIRED',
      'stages[0].from REQUIRED',
      'stages[0].withinMinutes REQUIRED',
      'escalation[0].afterMinutes REQUIRED',
      'escalation[0].actions REQUIRED',
    ]);
    expect(defects({ ...valid(), escalation: [] })).toEqual(['escalation REQUIRED']);
  });

  it('INVALID_VALUE for wrong types, fractions, unknown channels and misnumbered levels', () => {
    expect(defects('a policy')).toEqual([' INVALID_VALUE']);
    expect(
      defects({
        ...valid(),
        channel: 'PINDUODUO',
        stages: [
          { target: 'PICKING', from: 'PAID_AT', withinMinutes: '120' },
          { target: 'PACKED', from: 'PAID_AT', withinMinutes: 1.5 },
        ],
        escalation: [{ level: 2, afterMinutes: 0, actions: ['FLAG_ABNORMAL'] }],
      }),
    ).toEqual([
      'channel INVALID_VALUE',
      'stages[0].withinMinutes INVALID_VALUE',
      'stages[1].withinMinutes INVALID_VALUE',
      'escalation[0].level INVALID_VALUE',
    ]);
  });

  it('reports every defect at once, each at its path', () => {
    const errors = defects({
      name: '',
      businessType: 'FLASH',
      stages: [
        { target: 'PICKING', from: 'PAID_AT', withinMinutes: 120 },
        { target: 'PACKED', from: 'PAID_AT', withinMinutes: -1, allowanceMinutes: 50_000 },
        { target: 'PICKING', from: 'PAID_AT', withinMinutes: 90 },
        { target: 'UNBOXED', from: 'PAID_AT', withinMinutes: 10 },
      ],
      escalation: [
        { afterMinutes: 0, actions: ['FLAG_ABNORMAL', 'SEND_FLOWERS'] },
        { afterMinutes: 0, actions: ['ESCALATE_SUPERVISOR'] },
      ],
    });
    expect(errors).toEqual([
      'name REQUIRED',
      'businessType UNKNOWN_BUSINESS_TYPE',
      'stages[1].withinMinutes NEGATIVE_DURATION',
      'stages[1].allowanceMinutes TOO_LARGE',
      'stages[2] DUPLICATE_STAGE',
      'stages[3].target UNKNOWN_STAGE',
      'escalation[0].actions[1] UNKNOWN_ACTION',
      'escalation[1].afterMinutes CHAIN_NOT_INCREASING',
    ]);
  });

  it('gives every defect a message without echoing the input', () => {
    const result = parseSlaPolicyInput({ ...valid(), name: '13800138000'.repeat(10) });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toEqual([{ field: 'name', code: 'TOO_LARGE', message: expect.any(String) }]);
      expect(result.errors[0].message).not.toContain('13800138000');
    }
  });
});
