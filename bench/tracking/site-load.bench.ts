/**
 * H5 first load in Chromium on localhost, at 390×844: bytes transferred (all, and script), and
 * the time from navigation to the first order card, for a shopper whose session is already in
 * the tab (as after signing in). The real platform (API role) serves the built site and answers
 * the query. Usage: `npm run bench:site-load` (SITE_BENCH_RUNS, default 10).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { type RunningPlatform, startPlatform } from '../../api/src/app/platform.js';
import { CustomerKeys } from '../../api/src/modules/customer/customer-keys.js';
import { freePort, startBenchPostgres } from '../support/bench-postgres.js';
import { onCleanup, runBench } from '../support/cleanup.js';
import { describeMachine, loadLine, machineLine } from '../support/machine.js';
import { summarize } from '../support/stats.js';
import { seedShippedOrders } from './tracking-seed.js';

const RUNS = Number(process.env.SITE_BENCH_RUNS ?? '10');

await runBench('site-load', async () => {
  console.log(machineLine(describeMachine()));
  if (spawnSync(process.execPath, ['scripts/ensure-site.mjs'], { stdio: 'inherit' }).status !== 0)
    throw new Error('the site did not build');
  const db = await startBenchPostgres('site', 4);
  await seedShippedOrders(db.pool, { orders: 1000, phones: 500, stalledShare: 0, now: new Date() });
  const port = await freePort();
  const platform: RunningPlatform = await startPlatform(new Set(['api']), {
    DATABASE_URL: db.url,
    ADMIN_PASSWORD: 'bench-admin-password',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DEMO_SEED: 'false',
    DATA_DIR: join(db.dir, 'platform'),
  });
  onCleanup(() => platform.stop());
  const keys = await CustomerKeys.open(db.pool);
  const session = await keys.issueToken(String(13900000000 + 7), new Date());
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  onCleanup(() => browser.close());
  const times: number[] = [];
  let inlineScriptChars = 0;
  const inPage = {
    html: [] as number[],
    lookupStart: [] as number[],
    lookupEnd: [] as number[],
    shown: [] as number[],
  };
  let bytes = { total: 0, script: 0, requests: 0 };
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await context.addInitScript(
      (s) =>
        (
          globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }
        ).sessionStorage.setItem('orderops.customer', s),
      JSON.stringify(session),
    );
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const types = new Map<string, string>();
    const seen = { total: 0, script: 0, requests: 0 };
    cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
    cdp.on('Network.loadingFinished', (e) => {
      seen.total += e.encodedDataLength;
      seen.requests += 1;
      if (types.get(e.requestId) === 'Script') seen.script += e.encodedDataLength;
    });
    const started = performance.now();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('article.card').first().waitFor();
    times.push(performance.now() - started);
    // The page's own clock (from navigation start): HTML received, the lookup sent and answered,
    // the cards in the document.
    const marks = await page.evaluate(() => {
      // Runs in the page (no DOM types here).
      type Entry = { name: string; startTime: number; responseEnd: number };
      const perf = (globalThis as unknown as { performance: Record<string, (a: string) => Entry[]> })
        .performance;
      const doc = (
        globalThis as unknown as { document: { scripts: ArrayLike<{ src: string; text: string }> } }
      ).document;
      const nav = perf.getEntriesByType('navigation')[0];
      const lookup = perf.getEntriesByType('resource').find((r) => r.name.endsWith('/graphql'));
      return {
        html: nav.responseEnd,
        lookupStart: lookup?.startTime ?? 0,
        lookupEnd: lookup?.responseEnd ?? 0,
        shown: perf.getEntriesByName('orders-shown')[0]?.startTime ?? 0,
        inlineScript: Array.from(doc.scripts)
          .filter((x) => !x.src)
          .reduce((n, x) => n + x.text.length, 0),
      };
    });
    inlineScriptChars = marks.inlineScript;
    for (const key of Object.keys(inPage) as (keyof typeof inPage)[]) inPage[key].push(marks[key]);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    bytes = seen;
    await context.close();
  }
  const t = summarize(times);
  console.log(
    `first load: ${bytes.requests} requests, ${(bytes.total / 1024).toFixed(1)} KB transferred, ` +
      `${(bytes.script / 1024).toFixed(1)} KB of script files + ${(inlineScriptChars / 1024).toFixed(1)} K characters of script inline in the HTML (goal ≤ 100 KB); ` +
      `time to first order card over ${RUNS} cold loads: p50 ${t.p50} ms, max ${t.max} ms (goal ≤ 1 s)`,
  );
  const p50 = (xs: number[]) => summarize(xs).p50;
  console.log(
    `in the page (p50 from navigation start): HTML ${p50(inPage.html)} ms, lookup sent ${p50(inPage.lookupStart)} ms, ` +
      `answered ${p50(inPage.lookupEnd)} ms, cards shown ${p50(inPage.shown)} ms`,
  );
  console.log(loadLine());
});
