import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import pg from 'pg';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kuaidi100Sign } from '../../api/src/domain/tracking/kuaidi100-push.js';
import { pushParam } from '../integration/tracking/tracking-kit.js';
import { type ApiAndWorker, startApiAndWorker } from '../support/platform-process.js';
import { createTestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = 'test-output/tracking-site';
const SALT = 'e2e-kuaidi100-salt';
const PHONE = '13800138888';

let database: { url: string; drop(): Promise<void> };
let platform: ApiAndWorker;
let pool: pg.Pool;
let browser: Browser;
let movingOrder: string;

const shanghai = (d: Date) =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

async function seedOrder(no: string, phone: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into orders (channel, channel_order_no, business_type, state, channel_status, ordered_at, paid_at,
        source_updated_at, goods_cents, shipping_cents, total_cents, paid_cents, buyer_name, buyer_phone,
        address, items, state_entered_at)
     values ('WEBSHOP', $1, 'NORMAL', 'SHIPPED', 'TEST', now() - interval '3 days', now() - interval '3 days', now(),
        9900, 0, 9900, 9900, '张三', $2,
        '{"province":"上海市","city":"上海市","district":"浦东新区","detail":"示例路1号"}',
        '[{"title":"保温杯","quantity":1,"priceCents":9900,"category":"HOME","sku":"CUP-1"}]',
        jsonb_build_object('SHIPPED', now()))
     returning id`,
    [no, phone],
  );
  return rows[0].id;
}

async function orderState(id: string): Promise<string> {
  return (await pool.query<{ state: string }>('select state from orders where id = $1', [id])).rows[0].state;
}

async function push(
  waybill: string,
  state: number,
  scans: { time: string; context: string; status: string }[],
  orderId?: string,
) {
  const param = pushParam(waybill, state, scans);
  const response = await fetch(
    `${platform.baseUrl}/webhooks/kuaidi100${orderId ? `?order=${orderId}` : ''}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ param, sign: kuaidi100Sign(param, SALT) }).toString(),
    },
  );
  expect(await response.json()).toEqual({ result: true, returnCode: '200', message: '成功' });
}

/** The last login code the recording SMS provider printed for a phone (masked in the output). */
async function codeFor(phone: string, after: number): Promise<string> {
  const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`;
  return waitFor(
    () => {
      const printed = platform.worker.output().slice(after);
      const match = [...printed.matchAll(/SMS to (\S+): .*?验证码是(\d{6})/g)]
        .filter((m) => m[1] === masked)
        .pop();
      return match ? match[2] : null;
    },
    { timeoutMs: 20_000, message: `login code for ${masked}` },
  );
}

async function openSite(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  await page.goto(`${platform.baseUrl}/`);
  return page;
}

async function askCode(page: Page, phone: string): Promise<string> {
  const before = platform.worker.output().length;
  await page.getByLabel('手机号').fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByLabel('短信验证码').waitFor();
  return codeFor(phone, before);
}

describe('tracking site in Chromium (390×844)', () => {
  beforeAll(async () => {
    const built = spawnSync(process.execPath, ['scripts/ensure-site.mjs'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('the tracking site did not build');
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`);
    mkdirSync(SHOTS, { recursive: true });
    database = await createTestDatabase('site');
    platform = await startApiAndWorker(
      {
        DATABASE_URL: database.url,
        SCHEDULER_POLL_MS: '200',
        OUTBOX_SWEEP_MS: '1000',
        KUAIDI100_SALT: SALT,
        SMS_PRINT_CODES: 'true',
        STALL_SWEEP_SECONDS: '1',
      },
      'site-worker',
    );
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on('error', () => undefined);
    const now = Date.now();
    movingOrder = await seedOrder('WS-E2E-0001', PHONE);
    await push(
      'ZT9000000001',
      0,
      [
        { time: shanghai(new Date(now - 20 * 3600_000)), context: '【杭州市】快件已揽收', status: '揽收' },
        {
          time: shanghai(new Date(now - 2 * 3600_000)),
          context: '【杭州市】到达杭州转运中心',
          status: '在途',
        },
      ],
      movingOrder,
    );
    const stalledOrder = await seedOrder('WS-E2E-0002', PHONE);
    await push(
      'ZT9000000002',
      0,
      [{ time: shanghai(new Date(now - 50 * 3600_000)), context: '【广州市】快件已揽收', status: '揽收' }],
      stalledOrder,
    );
    await waitFor(
      async () =>
        (
          await pool.query('select 1 from shipment where waybill_no = $1 and stalled_since is not null', [
            'ZT9000000002',
          ])
        ).rowCount === 1,
      { timeoutMs: 30_000, message: 'the stall sweep marks the parcel' },
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  });

  afterAll(async () => {
    await browser?.close();
    await pool?.end();
    await platform?.stop();
    await database?.drop();
  });

  it('signs in with the SMS code and shows the orders, with a stall notice, then updates live', async () => {
    const page = await openSite();
    await page.screenshot({ path: `${SHOTS}/1-phone.png` });
    const code = await askCode(page, PHONE);
    await page.getByLabel('短信验证码').fill(code);
    await page.screenshot({ path: `${SHOTS}/2-code.png` });
    await page.getByRole('button', { name: '查看订单' }).click();
    const cards = page.locator('article.card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(2);
    const moving = page.locator(`article[data-order-id="${movingOrder}"]`);
    expect(await moving.locator('.status').textContent()).toMatch(/^运输途中（预计.+送达）$/);
    await expect.poll(() => moving.textContent()).toContain('ZT9000000001');
    expect(await page.locator('main').textContent()).toContain('张* 138****8888 上海市 浦东新区 ****');
    const stall = page.locator('.stall');
    expect(await stall.count()).toBe(1);
    expect(await stall.textContent()).toContain('物流信息已超过24小时没有更新');
    await page.screenshot({ path: `${SHOTS}/3-orders-with-stall.png`, fullPage: true });

    await page.getByText('实时更新已开启').waitFor();
    await push('ZT9000000001', 5, [
      { time: shanghai(new Date(Date.now() - 60_000)), context: '【上海市】快递员正在派件', status: '派件' },
    ]);
    // No reload: the page changes by itself.
    await expect
      .poll(() => moving.locator('.status').textContent(), { timeout: 30_000 })
      .toMatch(/^快递员正在派送/);
    await page.screenshot({ path: `${SHOTS}/4-live-update.png`, fullPage: true });

    // A push that only adds a scan (the order stays out for delivery) still shows at once, and
    // the page is not reloaded for it (the mark set on this page survives).
    await page.evaluate(() => {
      (globalThis as unknown as { stillThisPage: boolean }).stillThisPage = true;
    });
    const newest = moving.locator('ol.trace li').first();
    await push('ZT9000000001', 5, [
      { time: shanghai(new Date(Date.now() - 60_000)), context: '【上海市】快递员正在派件', status: '派件' },
      {
        time: shanghai(new Date(Date.now() - 30_000)),
        context: '【上海市】快递员已到达小区',
        status: '派件',
      },
    ]);
    await expect.poll(() => newest.textContent(), { timeout: 30_000 }).toContain('快递员已到达小区');
    expect(await orderState(movingOrder)).toBe('OUT_FOR_DELIVERY');
    expect(
      await page.evaluate(() => (globalThis as unknown as { stillThisPage?: boolean }).stillThisPage),
    ).toBe(true);
    await moving.locator('summary', { hasText: '物流详情' }).click();
    await page.screenshot({ path: `${SHOTS}/4b-live-trace-line.png`, fullPage: true });

    // Opened again in the tab: the head asks for the orders with the saved session, and the page
    // uses that one answer (a single lookup), never showing the sign-in form.
    const lookups: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql') && r.method() === 'POST') lookups.push(r.url());
    });
    await page.reload();
    await cards.first().waitFor();
    expect(await cards.count()).toBe(2);
    expect(await page.locator('#phone-form').isVisible()).toBe(false);
    expect(lookups).toHaveLength(1);
    await page.context().close();
  });

  it('says a wrong code is wrong, with the tries left, and locks after five', async () => {
    const page = await openSite();
    const code = await askCode(page, '13800138777');
    const wrong = code === '000000' ? '111111' : '000000';
    await page.getByLabel('短信验证码').fill(wrong);
    await page.getByRole('button', { name: '查看订单' }).click();
    await page.getByText('验证码不正确，还可尝试4次').waitFor();
    await page.screenshot({ path: `${SHOTS}/5-wrong-code.png` });
    for (const left of [3, 2, 1]) {
      await page.getByRole('button', { name: '查看订单' }).click();
      await page.getByText(`验证码不正确，还可尝试${left}次`).waitFor();
    }
    await page.getByRole('button', { name: '查看订单' }).click();
    await page.getByText('验证码错误次数过多，请15分钟后再试').waitFor();
    // Locked: even the right code is refused now.
    await page.getByLabel('短信验证码').fill(code);
    await page.getByRole('button', { name: '查看订单' }).click();
    await page.getByText('验证码错误次数过多，请15分钟后再试').waitFor();
    expect(await page.locator('article.card').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/6-locked.png` });
    await page.context().close();
  });
});
