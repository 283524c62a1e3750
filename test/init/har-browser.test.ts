// `brink init --from-har` end to end, as the issue asks: headless Chromium (Debian's, driven by playwright-core)
// records two visits of the demo shop on loopback, an API login with a bearer token and a server-rendered form
// login with CSRF; the shop is restarted, so the recorded tokens and sessions are useless (checked: the recorded
// bearer gets a 401, the recorded session a bounce to the login); the built CLI writes a scenario from each
// recording and runs it against the new shop. The replays get no 401 and no 403, make every request the browser
// made (the shop's own counters say so), and fail nothing.
//
// BRINK_RECORD_HAR=1 also records the example's visit into test/fixtures/har/shop.har and writes
// scenarios/har-shop.ts from it (har-example.test.ts checks the two agree).
// Skipped, saying so, only when /usr/bin/chromium is missing (.ci/run installs it).
import {afterAll, describe, expect, it} from 'vitest';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {runCli} from '../cli/run-cli.js';
import {tempDir} from '../helpers/run.js';
import {startShopInThread, type ThreadedShop} from '../../source/demo/in-thread.js';
import type {ShopStats} from '../../source/demo/shop.js';
import {readHar, type HarEntry} from '../../source/init/har-file.js';
import {scenarioFromHar} from '../../source/init/har.js';
import {apiVisit, formVisit, haveChromium, launchChromium, record, shopVisit, CHROMIUM} from './har-recording.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLE_HAR = 'test/fixtures/har/shop.har';
export const EXAMPLE = 'scenarios/har-shop.ts';

if (!haveChromium) console.warn(`skipping the HAR recording test: ${CHROMIUM} is missing (apt-get install chromium)`);

const tmp = tempDir('brink-har-browser-');
const shops: ThreadedShop[] = [];
afterAll(async () => {
  await Promise.all(shops.map((s) => s.close()));
  tmp.cleanup();
});

interface SummaryJson {
  totals: {requests: number; failures: number; scriptErrors: number};
  endpoints: Array<{method: string; name: string; requests: number; failures: number; statusCodes: Record<string, number>}>;
}

const header = (e: HarEntry, name: string) => e.requestHeaders.find((h) => h.name.toLowerCase() === name)?.value;
/** The routes a visit reached, as the shop names them, less its stylesheet and the favicon it does not have. */
const routes = (stats: ShopStats) => Object.keys(stats.requests).filter((r) => !r.includes('/static/') && !r.includes('(unmatched)'));

describe.skipIf(!haveChromium)('brink init --from-har on recordings by a real browser', () => {
  it('replays an API login (bearer) and a form login (CSRF) against a restarted shop: no 401, no 403, nothing failed', async () => {
    const files = {api: join(tmp.dir, 'api.har'), form: join(tmp.dir, 'form.har')};
    const first = await startShopInThread({serviceScale: 0.2});
    shops.push(first);
    const browser = await launchChromium();
    const visited: Record<string, string[]> = {};
    try {
      await record(browser, files.api, (page) => apiVisit(page, first.url));
      visited.api = routes(await first.stats());
      await first.resetStats();
      await record(browser, files.form, (page) => formVisit(page, first.url));
      visited.form = routes(await first.stats());
      if (process.env.BRINK_RECORD_HAR) {
        // On the port `brink demo --serve-only --port 8000` uses, so the example's header reads as a user's would.
        const demo = await startShopInThread({port: 8000});
        shops.push(demo);
        await record(browser, join(ROOT, EXAMPLE_HAR), (page) => shopVisit(page, demo.url));
        const example = scenarioFromHar(readHar(join(ROOT, EXAMPLE_HAR)), EXAMPLE_HAR, EXAMPLE);
        writeFileSync(join(ROOT, EXAMPLE), example.source);
      }
    } finally {
      await browser.close();
      await first.close();
    }
    expect(visited.api).toEqual([
      'GET /',
      'POST /api/auth/login',
      'GET /api/products',
      'GET /api/products/:id',
      'POST /api/cart/items',
      'GET /api/cart',
      'POST /api/orders',
    ]);
    expect(visited.form).toEqual(['GET /login', 'POST /login', 'GET /dashboard', 'GET /settings', 'POST /profile']);

    // A new shop: a new signing key and no sessions, so what the browser was given is worth nothing now.
    const shop = await startShopInThread({serviceScale: 0.2});
    shops.push(shop);
    const apiHar = readHar(files.api);
    const bearer = apiHar.entries.map((e) => header(e, 'authorization')).find((v) => v?.startsWith('Bearer '));
    expect(bearer).toBeDefined();
    expect((await fetch(`${shop.url}/api/cart`, {headers: {authorization: bearer!}})).status).toBe(401);
    const profile = readHar(files.form).entries.find((e) => e.method === 'POST' && e.url.endsWith('/profile'))!;
    const stale = await fetch(`${shop.url}/profile`, {
      method: 'POST',
      headers: {cookie: header(profile, 'cookie')!, 'content-type': 'application/x-www-form-urlencoded'},
      body: profile.postData!.text,
      redirect: 'manual',
    });
    expect([stale.status, stale.headers.get('location')]).toEqual([302, '/login?next=/settings']);
    await shop.resetStats(); // those two were this test's, not the replays'

    // brink init --from-har, then brink run, with the built CLI, both flows at once.
    const flows = ['api', 'form'] as const;
    for (const flow of flows) {
      const init = await runCli(['init', '--from-har', files[flow], join(tmp.dir, `${flow}.ts`)]);
      expect(init.stderr).toBe('');
      expect(init.code).toBe(0);
      expect(init.stdout).toMatch(/values? read from answers at run time/);
    }
    const runs = await Promise.all(
      flows.map((flow) =>
        runCli([
          'run',
          join(tmp.dir, `${flow}.ts`),
          '--host',
          shop.url,
          '-u',
          '2',
          '-t',
          '3s',
          '--headless',
          '--workers',
          '1',
          '--json',
          join(tmp.dir, `${flow}.json`),
        ]),
      ),
    );
    const stats = await shop.stats();
    for (const [k, flow] of flows.entries()) {
      const run = runs[k];
      const summary = JSON.parse(readFileSync(join(tmp.dir, `${flow}.json`), 'utf8')) as SummaryJson;
      const table = summary.endpoints.map((e) => `${e.method} ${e.name}: ${e.requests} ${JSON.stringify(e.statusCodes)}`).join('\n');
      expect(run.code, `${flow}: ${run.stderr}\n${table}`).toBe(0);
      expect(summary.totals.failures, `${flow}:\n${table}`).toBe(0);
      expect(summary.totals.scriptErrors, flow).toBe(0);
      for (const e of summary.endpoints) {
        expect(e.statusCodes['401'] ?? 0, `${flow} ${e.method} ${e.name}`).toBe(0);
        expect(e.statusCodes['403'] ?? 0, `${flow} ${e.method} ${e.name}`).toBe(0);
      }
      // Every request of the flow was made, by brink's count and by the shop's.
      const names = scenarioFromHar(readHar(files[flow]), files[flow], `${flow}.ts`).names;
      expect(summary.endpoints.map((e) => `${e.method} ${e.name}`).sort()).toEqual([...names].sort());
      for (const e of summary.endpoints) expect(e.requests, `${flow}: ${e.method} ${e.name}`).toBeGreaterThan(0);
      for (const route of visited[flow]) {
        expect(stats.requests[route] ?? 0, `${flow}: the shop's count of ${route}`).toBeGreaterThan(0);
        const statuses = stats.statuses[route] ?? {};
        expect([statuses['401'] ?? 0, statuses['403'] ?? 0], `${flow}: ${route} ${JSON.stringify(statuses)}`).toEqual([0, 0]);
      }
      console.log(
        `${flow}: ${summary.endpoints.map((e) => `${e.method} ${e.name} ×${e.requests}`).join(', ')}; failures ${summary.totals.failures}`,
      );
    }
  }, 60_000);
});
