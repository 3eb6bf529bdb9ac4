import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatShanghai } from '../../../api/src/domain/sla/business-time.js';
import { loadStageRows, loadTimeoutReport } from '../../../api/src/modules/reports/timeout-report.js';
import { type RecordingServer, startRecordingServer } from '../../support/recording-server.js';
import {
  clock,
  createGroup,
  deliverOutbox,
  historyOf,
  insertOrder,
  moveOrder,
  OWNER_ID,
  openSlaDb,
  outboxOf,
  type SlaDb,
  SUPERVISOR_ID,
  slaOf,
  stageRecordsOf,
  sweep,
  ticketsOf,
} from './sla-kit.js';

const OWNER_MOBILE = '13800000001';
const SUPERVISOR_MOBILE = '13900000002';

describe('SLA escalation: flag, WeCom reminder, ticket, supervisor', () => {
  let db: SlaDb;
  let robot: RecordingServer;
  const { at } = clock();

  beforeAll(async () => {
    db = await openSlaDb('sla_escalation');
    robot = await startRecordingServer();
    await createGroup(db.pool, {
      id: 'east-sla',
      webhookUrl: `${robot.url}/cgi-bin/webhook/send?key=east-robot`,
      ownerMobile: OWNER_MOBILE,
      supervisorMobile: SUPERVISOR_MOBILE,
    });
    await createGroup(db.pool, { id: 'no-robot', webhookUrl: null });
  });
  afterAll(async () => {
    await robot?.close();
    await db?.close();
  });
  beforeEach(() => robot.reset());

  const channelOrderNo = async (id: string) =>
    (await db.pool.query<{ no: string }>('select channel_order_no as no from orders where id = $1', [id]))
      .rows[0].no;

  it('applies level 1 at the deadline and level 2 later, each once, with the exact WeCom payloads', async () => {
    const id = await insertOrder(db.pool, { paidAt: at(0), groupId: 'east-sla' });
    const no = await channelOrderNo(id);
    await sweep(db, at(1));
    await sweep(db, at(29));
    expect(await ticketsOf(db.pool, id)).toEqual([]);

    // Level 1 at the deadline (30 min after payment for warehouse acceptance).
    const first = await sweep(db, at(30));
    expect(first).toMatchObject({ claimed: 1, levelsApplied: 1, tickets: 1, outbox: 3 });
    expect(await slaOf(db.pool, id)).toMatchObject({
      abnormal: true,
      escalation_level: 1,
      escalation_stage: 'WAREHOUSE_ACCEPTED@PAID_AT',
      sla_next_check_at: at(150),
    });
    const [ticket1] = await ticketsOf(db.pool, id);
    expect(ticket1).toMatchObject({ level: 1, state: 'OPEN', assignee_user_id: OWNER_ID });
    // The WeCom message is keyed by order, stage, level and action; the batch's subscription
    // events ride in one message per topic.
    expect(
      (await outboxOf(db.pool, id)).map((m) => [m.topic, m.dedupe_key.replace(/batch:.*/, 'batch:…')]),
    ).toEqual([
      ['wecom.message', `sla:${id}:WAREHOUSE_ACCEPTED@PAID_AT:1:REMIND_OWNER`],
      ['order.updated', 'order.updated:batch:…'],
      ['ticket.raised', 'ticket.raised:batch:…'],
    ]);

    await deliverOutbox(db);
    const [reminder] = await robot.waitForRequests(1);
    expect(reminder.path).toBe('/cgi-bin/webhook/send?key=east-robot');
    expect(reminder.body).toEqual({
      msgtype: 'text',
      text: {
        content: `【订单超时提醒】淘宝订单 ${no} 应在 ${formatShanghai(at(30))} 前仓库接单，已超时 0 分钟。已标记异常并生成工单，请负责人尽快处理。`,
        mentioned_mobile_list: [OWNER_MOBILE],
      },
    });

    // Nothing is applied twice: not by later sweeps, not when the order is forced due again.
    expect((await sweep(db, at(100))).claimed).toBe(0);
    await db.pool.query('update orders set sla_next_check_at = now() where id = $1', [id]);
    expect(await sweep(db, at(100))).toMatchObject({ claimed: 1, levelsApplied: 0, tickets: 0, outbox: 0 });

    // Level 2: two hours after the deadline, to the supervisor; the owner's ticket is escalated.
    const second = await sweep(db, at(150));
    expect(second).toMatchObject({ levelsApplied: 1, tickets: 1, outbox: 2 });
    const tickets = await ticketsOf(db.pool, id);
    expect(tickets).toHaveLength(2);
    expect(tickets[1]).toMatchObject({ level: 2, state: 'OPEN', assignee_user_id: SUPERVISOR_ID });
    expect(tickets[0]).toMatchObject({
      id: ticket1.id,
      state: 'ESCALATED',
      escalated_to_ticket_id: tickets[1].id,
    });
    expect(await slaOf(db.pool, id)).toMatchObject({
      escalation_level: 2,
      sla_next_check_at: null,
      abnormal: true,
    });
    await deliverOutbox(db);
    const requests = await robot.waitForRequests(2);
    expect(requests).toHaveLength(2);
    expect(requests[1].body).toEqual({
      msgtype: 'text',
      text: {
        content: `【订单超时升级】淘宝订单 ${no} 应在 ${formatShanghai(at(30))} 前仓库接单，已超时 120 分钟，第 2 级升级，请主管跟进处理。`,
        mentioned_mobile_list: [SUPERVISOR_MOBILE],
      },
    });

    await sweep(db, at(400));
    await db.pool.query('update orders set sla_next_check_at = now() where id = $1', [id]);
    await sweep(db, at(400));
    await deliverOutbox(db);
    expect(robot.requests).toHaveLength(2);
    expect(await ticketsOf(db.pool, id)).toHaveLength(2);
    const history = await historyOf(db.pool, id);
    expect(history.map((h) => [h.source, h.type])).toEqual([
      ['SYSTEM', 'SLA_LEVEL_1'],
      ['SYSTEM', 'SLA_LEVEL_2'],
    ]);
    expect(history[0].reason).toBe(
      `仓库接单超时（时限 ${formatShanghai(at(30))}）：第 1 级，标记异常、提醒负责人、生成工单`,
    );
    // The stage is still open: the level it reached is the order's, read by the reports through it.
    expect((await stageRecordsOf(db.pool, id))[0]).toMatchObject({ finished_at: null });
    const open = await loadStageRows(db.pool, { from: at(0), to: at(24 * 60) }, at(400));
    expect(open).toEqual([
      expect.objectContaining({ stage: 'WAREHOUSE_ACCEPTED@PAID_AT', finishedAt: null, escalations: 2 }),
    ]);
    for (const strategy of ['rows', 'sql'] as const) {
      const report = await loadTimeoutReport(db.pool, { from: at(0), to: at(24 * 60) }, at(400), {
        strategy,
      });
      expect(report.rows).toEqual([expect.objectContaining({ openOverdue: 1, escalations: 2 })]);
    }
  });

  it('clears the abnormal flag when the order moves on, keeping its history and closing its tickets', async () => {
    const id = await insertOrder(db.pool, { paidAt: at(0), groupId: 'east-sla' });
    await sweep(db, at(31));
    expect((await slaOf(db.pool, id)).abnormal).toBe(true);

    await moveOrder(db.pool, id, 'WAREHOUSE_ACCEPTED', at(40));
    const totals = await sweep(db, at(41));
    expect(totals).toMatchObject({ recovered: 1, levelsApplied: 0, tickets: 0 });
    expect(await slaOf(db.pool, id)).toMatchObject({
      abnormal: false,
      sla_stage: 'PICKING@PAID_AT',
      escalation_level: 0,
      escalation_stage: null,
      sla_next_check_at: at(120),
    });
    const history = await historyOf(db.pool, id);
    expect(history.map((h) => h.type)).toEqual(['SLA_LEVEL_1', 'SLA_RECOVERED']);
    expect(history[1].reason).toBe('已离开超时环节「仓库接单」，解除异常标记');
    expect(await ticketsOf(db.pool, id)).toEqual([
      expect.objectContaining({ state: 'RESOLVED', resolved_by: 'system' }),
    ]);
    const updates = (await outboxOf(db.pool, id)).filter((m) => m.topic === 'order.updated');
    expect(updates.map((m) => m.payload.abnormal)).toEqual([true, false]);
    expect((await stageRecordsOf(db.pool, id))[0]).toMatchObject({ max_level: 1, finished_at: at(40) });

    // Late again in the next stage: a new clock, so level 1 applies again, for that stage.
    await sweep(db, at(120));
    expect(await slaOf(db.pool, id)).toMatchObject({
      abnormal: true,
      escalation_level: 1,
      escalation_stage: 'PICKING@PAID_AT',
    });
    expect((await ticketsOf(db.pool, id)).map((t) => [t.stage, t.level])).toEqual([
      ['WAREHOUSE_ACCEPTED@PAID_AT', 1],
      ['PICKING@PAID_AT', 1],
    ]);
  });

  it('applies every missed level, in order, when the sweep comes late', async () => {
    const id = await insertOrder(db.pool, { paidAt: at(0), groupId: 'east-sla' });
    const no = await channelOrderNo(id);
    const totals = await sweep(db, at(200));
    // Two WeCom messages, and one message each for the batch's order.updated and ticket.raised events.
    expect(totals).toMatchObject({ levelsApplied: 2, tickets: 2, outbox: 4 });
    const tickets = await ticketsOf(db.pool, id);
    expect(tickets.map((t) => [t.level, t.state, t.assignee_user_id])).toEqual([
      [1, 'ESCALATED', OWNER_ID],
      [2, 'OPEN', SUPERVISOR_ID],
    ]);
    await deliverOutbox(db);
    // Both reminders were due together for one robot: one digest, mentioning owner and supervisor.
    const requests = robot.requests.filter((r) => r.rawBody.includes(no));
    expect(
      requests.map(
        (r) => (r.body as { text: { mentioned_mobile_list: string[] } }).text.mentioned_mobile_list,
      ),
    ).toEqual([[OWNER_MOBILE, SUPERVISOR_MOBILE]]);
    const content = (requests[0].body as { text: { content: string } }).text.content;
    expect(content.indexOf('请负责人')).toBeGreaterThan(0);
    expect(content.indexOf('请负责人')).toBeLessThan(content.indexOf('请主管'));
  });

  it('still flags and opens a ticket when the group has no robot, and says so in the history', async () => {
    const id = await insertOrder(db.pool, { paidAt: at(0), groupId: 'no-robot' });
    await sweep(db, at(31));
    expect((await slaOf(db.pool, id)).abnormal).toBe(true);
    expect(await ticketsOf(db.pool, id)).toHaveLength(1);
    expect((await outboxOf(db.pool, id)).map((m) => m.topic)).toEqual(['order.updated', 'ticket.raised']);
    expect((await historyOf(db.pool, id))[0].reason).toContain('处理组未配置企业微信机器人，未发送提醒');
  });
});
