import {
  BUSINESS_TYPES,
  type BusinessType,
  CHANNELS,
  type Channel,
  ORDER_STATES,
  type OrderState,
} from '../order/order-types.js';
import { type FieldError, fail, ok, type Result } from '../shared/result.js';
import { type FulfilmentState, fulfilmentRank, isFulfilmentState } from './fulfilment-rank.js';
import {
  SLA_ACTIONS,
  SLA_ANCHORS,
  SLA_MAX_MINUTES,
  type SlaAction,
  type SlaAnchor,
  type SlaEscalationStep,
  type SlaFrom,
  type SlaPolicyDraft,
  type SlaStage,
  STATE_ENTERED_PREFIX,
  stageName,
} from './sla-policy.js';

/**
 * Codes a policy input can fail with. Besides the SLA-specific ones, `INVALID_VALUE` marks a value
 * of the wrong type or shape (a string where minutes belong, a fraction of a minute, an unknown
 * channel).
 */
export type SlaPolicyErrorCode =
  | 'REQUIRED'
  | 'INVALID_VALUE'
  | 'NEGATIVE_DURATION'
  | 'TOO_LARGE'
  | 'UNKNOWN_BUSINESS_TYPE'
  | 'UNKNOWN_STAGE'
  | 'DUPLICATE_STAGE'
  | 'EMPTY_STAGES'
  | 'CHAIN_NOT_INCREASING'
  | 'UNKNOWN_ACTION';

const MAX_NAME_LENGTH = 80;
const PAID_RANK = fulfilmentRank('PAID')!;

type Input = Record<string, unknown>;

class Defects {
  readonly list: FieldError[] = [];
  add(field: string, code: SlaPolicyErrorCode, message: string): undefined {
    this.list.push({ field, code, message });
    return undefined;
  }
}

const isRecord = (value: unknown): value is Input =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isAbsent = (value: unknown): value is null | undefined => value === undefined || value === null;
const includes = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

/**
 * Validates an operator's policy from untrusted input (GraphQL input or stored JSON). Every
 * defect is reported at once, each at its path (`stages[1].withinMinutes`). A bare state in
 * `from` (`"PAID"`) is read as `STATE_ENTERED:PAID`.
 */
export function parseSlaPolicyInput(raw: unknown): Result<SlaPolicyDraft> {
  const defects = new Defects();
  if (!isRecord(raw)) {
    defects.add('', 'INVALID_VALUE', 'Expected a policy object.');
    return fail(defects.list);
  }
  const name = parseName(raw.name, defects);
  const businessType = parseBusinessType(raw.businessType, defects);
  const channel = parseChannel(raw.channel, defects);
  const groupId = parseGroupId(raw.groupId, defects);
  const stages = parseStages(raw.stages, businessType, defects);
  const escalation = parseEscalation(raw.escalation, defects);
  if (defects.list.length > 0) return fail(defects.list);
  return ok({
    name: name!,
    businessType: businessType!,
    channel: channel ?? null,
    groupId: groupId ?? null,
    stages: stages!,
    escalation: escalation!,
  });
}

function parseName(value: unknown, defects: Defects): string | undefined {
  if (isAbsent(value) || (typeof value === 'string' && value.trim() === ''))
    return defects.add('name', 'REQUIRED', 'Give the policy a name.');
  if (typeof value !== 'string') return defects.add('name', 'INVALID_VALUE', 'The name must be text.');
  const name = value.trim();
  if (name.length > MAX_NAME_LENGTH)
    return defects.add('name', 'TOO_LARGE', `Keep the name within ${MAX_NAME_LENGTH} characters.`);
  return name;
}

function parseBusinessType(value: unknown, defects: Defects): BusinessType | undefined {
  if (isAbsent(value)) return defects.add('businessType', 'REQUIRED', 'Choose a business type.');
  if (!includes(BUSINESS_TYPES, value))
    return defects.add(
      'businessType',
      'UNKNOWN_BUSINESS_TYPE',
      `Business type must be one of ${BUSINESS_TYPES.join(', ')}.`,
    );
  return value;
}

/** `null` (any channel) when absent. */
function parseChannel(value: unknown, defects: Defects): Channel | null | undefined {
  if (isAbsent(value)) return null;
  if (!includes(CHANNELS, value))
    return defects.add('channel', 'INVALID_VALUE', `Channel must be one of ${CHANNELS.join(', ')}.`);
  return value;
}

/** `null` (any group) when absent. */
function parseGroupId(value: unknown, defects: Defects): string | null | undefined {
  if (isAbsent(value)) return null;
  if (typeof value !== 'string' || value.trim() === '')
    return defects.add('groupId', 'INVALID_VALUE', 'The group id must be non-empty text.');
  return value.trim();
}

/** A whole number of minutes from 0 to 30 days. */
function parseMinutes(value: unknown, field: string, defects: Defects): number | undefined {
  if (isAbsent(value)) return defects.add(field, 'REQUIRED', 'Give a number of minutes.');
  if (typeof value !== 'number' || !Number.isInteger(value))
    return defects.add(field, 'INVALID_VALUE', 'Give a whole number of minutes.');
  if (value < 0) return defects.add(field, 'NEGATIVE_DURATION', 'Minutes cannot be negative.');
  if (value > SLA_MAX_MINUTES)
    return defects.add(field, 'TOO_LARGE', `At most ${SLA_MAX_MINUTES} minutes (30 days).`);
  return value;
}

function parseStages(
  value: unknown,
  businessType: BusinessType | undefined,
  defects: Defects,
): SlaStage[] | undefined {
  if (isAbsent(value)) return defects.add('stages', 'REQUIRED', 'Give at least one stage.');
  if (!Array.isArray(value)) return defects.add('stages', 'INVALID_VALUE', 'Stages must be a list.');
  if (value.length === 0) return defects.add('stages', 'EMPTY_STAGES', 'Give at least one stage.');
  const seen = new Set<string>();
  const stages: SlaStage[] = [];
  value.forEach((item, index) => {
    const stage = parseStage(item, `stages[${index}]`, businessType, defects);
    if (!stage) return;
    const key = stageName(stage);
    if (seen.has(key)) {
      defects.add(
        `stages[${index}]`,
        'DUPLICATE_STAGE',
        `An earlier stage already waits for ${stage.target} from ${stage.from}.`,
      );
      return;
    }
    seen.add(key);
    stages.push(stage);
  });
  return stages;
}

function parseStage(
  item: unknown,
  path: string,
  businessType: BusinessType | undefined,
  defects: Defects,
): SlaStage | undefined {
  if (!isRecord(item)) return defects.add(path, 'INVALID_VALUE', 'Each stage must be an object.');
  const target = parseTarget(item.target, `${path}.target`, defects);
  const from = parseFrom(item.from, `${path}.from`, businessType, defects);
  const withinMinutes = parseMinutes(item.withinMinutes, `${path}.withinMinutes`, defects);
  const allowanceMinutes = isAbsent(item.allowanceMinutes)
    ? 0
    : parseMinutes(item.allowanceMinutes, `${path}.allowanceMinutes`, defects);
  if (target && from) {
    const startRank = anchorRank(from);
    if (fulfilmentRank(target)! <= startRank)
      defects.add(
        `${path}.target`,
        'UNKNOWN_STAGE',
        `${target} cannot be reached after ${from}; the target must lie further along the fulfilment path.`,
      );
  }
  if (target === undefined || from === undefined) return undefined;
  if (withinMinutes === undefined || allowanceMinutes === undefined) return undefined;
  const stage: SlaStage = { target, from, withinMinutes };
  if (allowanceMinutes > 0) stage.allowanceMinutes = allowanceMinutes;
  return stage;
}

function parseTarget(value: unknown, field: string, defects: Defects): FulfilmentState | undefined {
  if (isAbsent(value)) return defects.add(field, 'REQUIRED', 'Name the state this stage waits for.');
  if (typeof value !== 'string' || !isFulfilmentState(value))
    return defects.add(
      field,
      'UNKNOWN_STAGE',
      'The target must be a state on the fulfilment path (PAID … DELIVERED).',
    );
  return value;
}

function parseFrom(
  value: unknown,
  field: string,
  businessType: BusinessType | undefined,
  defects: Defects,
): SlaFrom | undefined {
  if (isAbsent(value)) return defects.add(field, 'REQUIRED', 'Say what the clock counts from.');
  const unknown = () =>
    defects.add(
      field,
      'UNKNOWN_STAGE',
      `Count from ${SLA_ANCHORS.join(', ')} or STATE_ENTERED:<state> on the fulfilment path.`,
    );
  if (typeof value !== 'string') return unknown();
  if (includes(SLA_ANCHORS, value)) {
    if (value === 'BALANCE_PAID_AT' && businessType !== undefined && businessType !== 'PRESALE')
      return defects.add(field, 'UNKNOWN_STAGE', 'Only PRESALE orders have a balance payment.');
    return value;
  }
  const state = value.startsWith(STATE_ENTERED_PREFIX) ? value.slice(STATE_ENTERED_PREFIX.length) : value;
  if (!includes(ORDER_STATES, state) || fulfilmentRank(state) === null) return unknown();
  return `${STATE_ENTERED_PREFIX}${state}` as SlaFrom;
}

/** Where on the fulfilment path the clock starts: payments and promises count as PAID. */
function anchorRank(from: SlaFrom): number {
  if (includes<SlaAnchor>(SLA_ANCHORS, from)) return PAID_RANK;
  return fulfilmentRank(from.slice(STATE_ENTERED_PREFIX.length) as OrderState)!;
}

function parseEscalation(value: unknown, defects: Defects): SlaEscalationStep[] | undefined {
  if (isAbsent(value) || (Array.isArray(value) && value.length === 0))
    return defects.add('escalation', 'REQUIRED', 'Give at least one escalation level.');
  if (!Array.isArray(value))
    return defects.add('escalation', 'INVALID_VALUE', 'The escalation chain must be a list.');
  const steps: SlaEscalationStep[] = [];
  let previousDelay: number | undefined;
  for (const [index, item] of value.entries()) {
    const path = `escalation[${index}]`;
    if (!isRecord(item)) {
      defects.add(path, 'INVALID_VALUE', 'Each level must be an object.');
      continue;
    }
    if (!isAbsent(item.level) && item.level !== index + 1)
      defects.add(
        `${path}.level`,
        'INVALID_VALUE',
        `Levels are numbered by position; this is level ${index + 1}.`,
      );
    const afterMinutes = parseMinutes(item.afterMinutes, `${path}.afterMinutes`, defects);
    if (afterMinutes !== undefined && previousDelay !== undefined && afterMinutes <= previousDelay)
      defects.add(
        `${path}.afterMinutes`,
        'CHAIN_NOT_INCREASING',
        `Level ${index + 1} must come later than level ${index} (${previousDelay} minutes).`,
      );
    if (afterMinutes !== undefined) previousDelay = afterMinutes;
    const actions = parseActions(item.actions, `${path}.actions`, defects);
    if (afterMinutes !== undefined && actions) steps.push({ afterMinutes, actions });
  }
  return steps;
}

function parseActions(value: unknown, field: string, defects: Defects): SlaAction[] | undefined {
  if (isAbsent(value) || (Array.isArray(value) && value.length === 0))
    return defects.add(field, 'REQUIRED', 'Give at least one action.');
  if (!Array.isArray(value)) return defects.add(field, 'INVALID_VALUE', 'Actions must be a list.');
  const actions: SlaAction[] = [];
  let bad = false;
  value.forEach((action, index) => {
    if (!includes(SLA_ACTIONS, action)) {
      bad = true;
      defects.add(`${field}[${index}]`, 'UNKNOWN_ACTION', `Actions are ${SLA_ACTIONS.join(', ')}.`);
    } else if (!actions.includes(action)) actions.push(action);
  });
  return bad ? undefined : actions;
}
