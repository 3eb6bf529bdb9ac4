import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clock,
  createGroup,
  gql,
  insertOrder,
  moveOrder,
  openSlaDb,
  type SlaDb,
  slaOf,
  staff,
  sweep,
} from './sla-kit.js';

const VERSION_FIELDS = `key version name businessType channel groupId createdBy createdAt comment active
  stages { target from withinMinutes allowanceMinutes } escalation { level afterMinutes actions }`;

const SAVE = `mutation ($input: SlaPolicyInput!, $comment: String) {
  saveSlaPolicy(input: $input, comment: $comment) { policy { ${VERSION_FIELDS} } userErrors { field code message } } }`;

const DRY_RUN = `mutation ($input: SlaPolicyInput!) {
  dryRunSlaPolicy(input: $input) {
    report { evaluated overdue byLevel { level count } orders { orderId channelOrderNo stage deadline level overdueMinutes } }
    userErrors { field code message } } }`;

/** NORMAL orders: accepted by the warehouse within `within` minutes; level 2 ten minutes later. */
const normalPolicy = (within: number, extra: Record<string, unknown> = {}) => ({
  name: '大促普通订单时效',
  businessType: 'NORMAL',
  stages: [
    { target: 'WAREHOUSE_ACCEPTED', from: 'PAID_AT', withinMinutes: within },
    { target: 'SHIPPED', from: 'STATE_ENTERED:PACKED', withinMinutes: 60 },
  ],
  escalation: [
    { afterMinutes: 0, actions: ['FLAG_ABNORMAL', 'REMIND_OWNER', 'OPEN_TICKET'] },
    { afterMinutes: 10, actions: ['ESCALATE_SUPERVISOR'] },
  ],
  ...extra,
});

describe('SLA policies as versioned data', () => {
  let db: SlaDb;
  const { at } = clock();
  const ops = staff('OPS');

  beforeAll(async () => {
    db = await openSlaDb('sla_policies');
    await createGroup(db.pool, { id: 'vip-group' });
  });
  afterAll(async () => {
    await db?.close();
  });

  const versionCount = async () =>
    (await db.pool.query<{ n: number }>('select count(*)::int as n from sla_policy_version')).rows[0].n;

  it('seeds the defaults, one active version per business type', async () => {
    const { data, errors } = await gql<{
      slaPolicies: { key: string; active: Record<string, unknown>; versions: unknown[] }[];
    }>(db, staff('SUPERVISOR'), `{ slaPolicies { key active { ${VERSION_FIELDS} } versions { version } } }`);
    expect(errors).toEqual([]);
    expect(data.slaPolicies.map((p) => p.key)).toEqual(['CUSTOM:*:*', 'NORMAL:*:*', 'PRESALE:*:*']);
    const normal = data.slaPolicies[1];
    expect(normal.active).toMatchObject({
      version: 1,
      createdBy: 'system',
      active: true,
      channel: null,
      groupId: null,
    });
    expect(normal.active.stages).toContainEqual({
      target: 'PICKING',
      from: 'PAID_AT',
      withinMinutes: 120,
      allowanceMinutes: 0,
    });
    expect(normal.active.escalation).toEqual([
      { level: 1, afterMinutes: 0, actions: ['FLAG_ABNORMAL', 'REMIND_OWNER', 'OPEN_TICKET'] },
      { level: 2, afterMinutes: 120, actions: ['ESCALATE_SUPERVISOR'] },
    ]);
    expect(normal.versions).toEqual([{ version: 1 }]);
  });

  it('refuses a defective policy with every defect at its path, writing nothing', async () => {
    const before = await versionCount();
    const input = {
      name: ' ',
      businessType: 'NORMAL',
      stages: [
        { target: 'WAREHOUSE_ACCEPTED', from: 'PAID_AT', withinMinutes: 30 },
        { target: 'PICKING', from: 'PAID_AT', withinMinutes: -5 },
      ],
      escalation: [
        { afterMinutes: 30, actions: ['FLAG_ABNORMAL'] },
        { afterMinutes: 10, actions: ['CALL_THE_CEO'] },
      ],
    };
    const { data } = await gql<{
      saveSlaPolicy: { policy: unknown; userErrors: { field: string; code: string }[] };
    }>(db, ops, SAVE, { input });
    expect(data.saveSlaPolicy.policy).toBeNull();
    expect(data.saveSlaPolicy.userErrors.map((e) => [e.field, e.code])).toEqual([
      ['name', 'REQUIRED'],
      ['stages[1].withinMinutes', 'NEGATIVE_DURATION'],
      ['escalation[1].afterMinutes', 'CHAIN_NOT_INCREASING'],
      ['escalation[1].actions[0]', 'UNKNOWN_ACTION'],
    ]);
    expect(await versionCount()).toBe(before);
  });

  it('lets only OPS (and ADMIN) save', async () => {
    const { errors } = await gql(db, staff('SUPERVISOR'), SAVE, { input: normalPolicy(10) });
    expect(errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
  });

  it('answers a dry run over the open orders without saving anything', async () => {
    await createGroup(db.pool, { id: 'dry-group' });
    await gql(db, ops, SAVE, { input: normalPolicy(90, { name: '专属组', groupId: 'dry-group' }) }, at(-100));
    const late2 = await insertOrder(db.pool, { paidAt: at(-45) });
    const late1 = await insertOrder(db.pool, { paidAt: at(-35) });
    await insertOrder(db.pool, { paidAt: at(-10) });
    await insertOrder(db.pool, { paidAt: at(-45), groupId: 'dry-group' }); // the group's own policy governs it
    const delivered = await insertOrder(db.pool, { paidAt: at(-45) });
    await moveOrder(db.pool, delivered, 'DELIVERED', at(-1));
    await insertOrder(db.pool, { paidAt: at(-45), businessType: 'CUSTOM' });
    const before = await versionCount();

    const { data, errors } = await gql<{
      dryRunSlaPolicy: {
        report: {
          evaluated: number;
          overdue: number;
          byLevel: { level: number; count: number }[];
          orders: { orderId: string; stage: string; deadline: Date; level: number; overdueMinutes: number }[];
        };
      };
    }>(db, staff('SUPERVISOR'), DRY_RUN, { input: normalPolicy(30) }, at(0));
    expect(errors).toEqual([]);
    const { report } = data.dryRunSlaPolicy;
    expect(report).toMatchObject({
      evaluated: 3,
      overdue: 2,
      byLevel: [
        { level: 1, count: 1 },
        { level: 2, count: 1 },
      ],
    });
    expect(report.orders).toEqual([
      {
        orderId: late2,
        channelOrderNo: expect.any(String),
        stage: 'WAREHOUSE_ACCEPTED@PAID_AT',
        deadline: at(-15),
        level: 2,
        overdueMinutes: 15,
      },
      expect.objectContaining({ orderId: late1, level: 1, overdueMinutes: 5 }),
    ]);
    expect(await versionCount()).toBe(before);

    const invalid = await gql<{ dryRunSlaPolicy: { report: unknown; userErrors: { field: string }[] } }>(
      db,
      ops,
      DRY_RUN,
      { input: normalPolicy(30, { businessType: 'WHOLESALE' }) },
    );
    expect(invalid.data.dryRunSlaPolicy).toEqual({
      report: null,
      userErrors: [expect.objectContaining({ field: 'businessType', code: 'UNKNOWN_BUSINESS_TYPE' })],
    });
  });

  it('saves a new version, deactivating the previous one, and applies it from the next sweep', async () => {
    const id = await insertOrder(db.pool, { paidAt: at(0) });
    await sweep(db, at(1));
    expect(await slaOf(db.pool, id)).toMatchObject({
      sla_deadline: at(30),
      sla_policy_version: 1,
      abnormal: false,
    });

    const { data } = await gql<{ saveSlaPolicy: { policy: Record<string, unknown>; userErrors: unknown[] } }>(
      db,
      ops,
      SAVE,
      { input: normalPolicy(10), comment: '大促期间收紧接单时效' },
      at(2),
    );
    expect(data.saveSlaPolicy.userErrors).toEqual([]);
    expect(data.saveSlaPolicy.policy).toMatchObject({
      key: 'NORMAL:*:*',
      version: 2,
      createdBy: 'test-ops',
      createdAt: at(2),
      comment: '大促期间收紧接单时效',
      active: true,
    });

    // The order is due again at once and judged by version 2: already past its new deadline.
    await sweep(db, at(11));
    expect(await slaOf(db.pool, id)).toMatchObject({
      sla_deadline: at(10),
      sla_policy_key: 'NORMAL:*:*',
      sla_policy_version: 2,
      escalation_level: 1,
      abnormal: true,
    });

    const history = await gql<{
      slaPolicies: { key: string; versions: { version: number; active: boolean }[] }[];
    }>(db, ops, '{ slaPolicies { key versions { version active } } }');
    const normal = history.data.slaPolicies.find((p) => p.key === 'NORMAL:*:*')!;
    expect(normal.versions).toEqual([
      { version: 2, active: true },
      { version: 1, active: false },
    ]);
    const old = await gql<{
      slaPolicyVersion: { version: number; active: boolean; stages: { withinMinutes: number }[] };
    }>(
      db,
      ops,
      '{ slaPolicyVersion(key: "NORMAL:*:*", version: 1) { version active stages { withinMinutes } } }',
    );
    expect(old.data.slaPolicyVersion).toMatchObject({ version: 1, active: false });
    expect(old.data.slaPolicyVersion.stages[0].withinMinutes).toBe(30);
  });

  it('lets a group policy take the group’s orders from the general one', async () => {
    const id = await insertOrder(db.pool, { paidAt: at(0), groupId: 'vip-group' });
    await sweep(db, at(1));
    expect((await slaOf(db.pool, id)).sla_policy_key).toBe('NORMAL:*:*');
    const saved = await gql<{ saveSlaPolicy: { policy: { key: string; version: number } } }>(
      db,
      staff('ADMIN'),
      SAVE,
      {
        input: normalPolicy(5, { name: 'VIP 组', groupId: 'vip-group' }),
      },
    );
    expect(saved.data.saveSlaPolicy.policy).toMatchObject({ key: 'NORMAL:*:vip-group', version: 1 });
    await sweep(db, at(2));
    expect(await slaOf(db.pool, id)).toMatchObject({
      sla_policy_key: 'NORMAL:*:vip-group',
      sla_policy_version: 1,
      sla_deadline: at(5),
    });
  });
});
