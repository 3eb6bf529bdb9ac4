import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureRoutingDefaults } from '../../../api/src/modules/routing/routing-rules.store.js';
import { routingSettings } from '../../../api/src/modules/routing/routing-settings.js';
import { gql, openRoutingDb, type RoutingDb, staff } from './routing-kit.js';

const OPS = staff('OPS');
const UPSERT = `mutation ($input: ProcessingGroupInput!) {
  upsertProcessingGroup(input: $input) {
    group { id name ownerUserId ownerName ownerMobile supervisorUserId supervisorName supervisorMobile
            wecomWebhookUrl capacity active }
    userErrors { field code message }
  }
}`;
const LIST = `query ($all: Boolean) { processingGroups(includeInactive: $all) {
  id name ownerMobile supervisorMobile wecomWebhookUrl capacity active } }`;

type Upsert = {
  upsertProcessingGroup: {
    group: Record<string, unknown> | null;
    userErrors: { field: string; code: string; message: string }[];
  };
};

const ROBOT = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123456789abcdef';

describe('processing groups', () => {
  let db: RoutingDb;
  let ownerId: string;

  beforeAll(async () => {
    db = await openRoutingDb('routing_groups');
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into staff_user (username, display_name, password_hash, roles)
       values ('group-owner', '组长', 'x', '{OPS}') returning id`,
    );
    ownerId = rows[0].id;
    expect(await ensureRoutingDefaults(db.pool)).toBe(true);
  });
  afterAll(async () => {
    await db?.close();
  });
  afterEach(() => {
    routingSettings.allowLocalWebhooks = false;
  });

  it('lists the groups seeded at start-up on a new database', async () => {
    const answer = await gql<{ processingGroups: { id: string; name: string }[] }>(db, OPS, LIST);
    expect(answer.errors).toEqual([]);
    expect(answer.data.processingGroups.map((g) => [g.id, g.name])).toEqual([
      ['custom-made', '定制组'],
      ['east-china', '华东组'],
      ['general', '综合组'],
      ['large-orders', '大额订单组'],
      ['south-china', '华南组'],
    ]);
  });

  it('creates and replaces a group, normalising mobiles', async () => {
    const input = {
      id: 'north-china',
      name: ' 华北组 ',
      ownerUserId: ownerId,
      ownerName: '张组长',
      ownerMobile: '+86 138-1234-5678',
      supervisorName: '李主管',
      supervisorMobile: '13900001111',
      wecomWebhookUrl: ROBOT,
      capacity: 800,
    };
    const created = await gql<Upsert>(db, OPS, UPSERT, { input });
    expect(created.errors).toEqual([]);
    expect(created.data.upsertProcessingGroup).toEqual({
      group: {
        id: 'north-china',
        name: '华北组',
        ownerUserId: ownerId,
        ownerName: '张组长',
        ownerMobile: '13812345678',
        supervisorUserId: null,
        supervisorName: '李主管',
        supervisorMobile: '13900001111',
        wecomWebhookUrl: ROBOT,
        capacity: 800,
        active: true,
      },
      userErrors: [],
    });
    const replaced = await gql<Upsert>(db, staff('ADMIN'), UPSERT, {
      input: { id: 'north-china', name: '华北一组', capacity: 900 },
    });
    expect(replaced.data.upsertProcessingGroup.group).toMatchObject({
      name: '华北一组',
      ownerUserId: null,
      ownerMobile: null,
      wecomWebhookUrl: null,
      capacity: 900,
    });
    const { rows } = await db.pool.query('select count(*)::int as n from processing_group where id = $1', [
      'north-china',
    ]);
    expect(rows[0].n).toBe(1);
  });

  it('reports every defect with its field and writes nothing', async () => {
    const answer = await gql<Upsert>(db, OPS, UPSERT, {
      input: {
        id: 'Bad Id!',
        name: '  ',
        ownerUserId: 'not-a-uuid',
        ownerMobile: '12345',
        supervisorUserId: '00000000-0000-4000-8000-00000000abcd',
        supervisorMobile: '+1 415 555 0100',
        wecomWebhookUrl: 'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x',
        capacity: -1,
      },
    });
    expect(answer.data.upsertProcessingGroup.group).toBeNull();
    expect(answer.data.upsertProcessingGroup.userErrors.map((e) => [e.field, e.code])).toEqual([
      ['id', 'INVALID_ID'],
      ['name', 'REQUIRED'],
      ['capacity', 'INVALID_CAPACITY'],
      ['ownerUserId', 'INVALID_USER_ID'],
      ['ownerMobile', 'INVALID_MOBILE'],
      ['supervisorMobile', 'INVALID_MOBILE'],
      ['wecomWebhookUrl', 'INVALID_URL'],
    ]);
    // Messages never repeat the number or the robot key given.
    const messages = answer.data.upsertProcessingGroup.userErrors.map((e) => e.message).join(' ');
    expect(messages).not.toMatch(/12345|415|key=x/);

    const unknownUser = await gql<Upsert>(db, OPS, UPSERT, {
      input: { id: 'ghost-group', name: '幽灵组', supervisorUserId: '00000000-0000-4000-8000-00000000abcd' },
    });
    expect(unknownUser.data.upsertProcessingGroup.userErrors.map((e) => [e.field, e.code])).toEqual([
      ['supervisorUserId', 'UNKNOWN_USER'],
    ]);
    const { rows } = await db.pool.query(
      `select id from processing_group where id in ('ghost-group', 'bad id!')`,
    );
    expect(rows).toEqual([]);
  });

  it('accepts a local robot only when the configuration allows local targets', async () => {
    const input = {
      id: 'local-robot',
      name: '本地机器人组',
      wecomWebhookUrl: 'http://127.0.0.1:9/cgi-bin/webhook/send?key=t',
    };
    const refused = await gql<Upsert>(db, OPS, UPSERT, { input });
    expect(refused.data.upsertProcessingGroup.userErrors.map((e) => e.code)).toEqual(['INVALID_URL']);
    routingSettings.allowLocalWebhooks = true;
    const accepted = await gql<Upsert>(db, OPS, UPSERT, { input });
    expect(accepted.data.upsertProcessingGroup.userErrors).toEqual([]);
    expect(accepted.data.upsertProcessingGroup.group?.wecomWebhookUrl).toBe(input.wecomWebhookUrl);
    const notHttp = await gql<Upsert>(db, OPS, UPSERT, {
      input: { ...input, wecomWebhookUrl: 'ftp://127.0.0.1/robot' },
    });
    expect(notHttp.data.upsertProcessingGroup.userErrors.map((e) => e.code)).toEqual(['INVALID_URL']);
  });

  it('refuses to deactivate a group the active rules route to, and hides inactive groups by default', async () => {
    const inUse = await gql<Upsert>(db, OPS, UPSERT, {
      input: { id: 'general', name: '综合组', active: false },
    });
    expect(inUse.data.upsertProcessingGroup.userErrors.map((e) => [e.field, e.code])).toEqual([
      ['active', 'GROUP_IN_USE'],
    ]);
    const { rows } = await db.pool.query(`select active from processing_group where id = 'general'`);
    expect(rows[0].active).toBe(true);

    const unused = await gql<Upsert>(db, OPS, UPSERT, {
      input: { id: 'local-robot', name: '本地机器人组', active: false },
    });
    expect(unused.data.upsertProcessingGroup.userErrors).toEqual([]);
    const active = await gql<{ processingGroups: { id: string }[] }>(db, OPS, LIST);
    expect(active.data.processingGroups.map((g) => g.id)).not.toContain('local-robot');
    const all = await gql<{ processingGroups: { id: string }[] }>(db, OPS, LIST, { all: true });
    expect(all.data.processingGroups.map((g) => g.id)).toContain('local-robot');
  });

  it('masks mobiles and the robot key for roles that do not manage groups', async () => {
    await gql<Upsert>(db, OPS, UPSERT, {
      input: {
        id: 'masked-group',
        name: '遮蔽组',
        ownerMobile: '13812345678',
        supervisorMobile: '13900001111',
        wecomWebhookUrl: ROBOT,
      },
    });
    const query = `query { processingGroup(id: "masked-group") { ownerMobile supervisorMobile wecomWebhookUrl } }`;
    const asFinance = await gql<{ processingGroup: Record<string, string> }>(db, staff('FINANCE'), query);
    expect(asFinance.data.processingGroup).toEqual({
      ownerMobile: '138****5678',
      supervisorMobile: '139****1111',
      wecomWebhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****',
    });
    const asSupervisor = await gql<{ processingGroup: Record<string, string> }>(
      db,
      staff('SUPERVISOR'),
      query,
    );
    expect(asSupervisor.data.processingGroup).toEqual({
      ownerMobile: '13812345678',
      supervisorMobile: '13900001111',
      wecomWebhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****',
    });
    const asOps = await gql<{ processingGroup: Record<string, string> }>(db, OPS, query);
    expect(asOps.data.processingGroup.wecomWebhookUrl).toBe(ROBOT);
  });

  it('lets only OPS and ADMIN change groups, and no partner read them', async () => {
    const input = { id: 'service-group', name: '客服组' };
    const asService = await gql<Upsert>(db, staff('SERVICE'), UPSERT, { input });
    expect(asService.errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
    const partner = {
      kind: 'PARTNER' as const,
      clientId: 'p1',
      name: 'partner',
      channels: ['TAOBAO' as const],
      scopes: ['orders:read' as const],
    };
    const asPartner = await gql(db, partner, LIST);
    expect(asPartner.errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
  });
});
