// brink's verdicts against real multi-process stacks, checked against what the servers really did:
// find-limit names a lock-holding endpoint as the bottleneck (not the cheap reads queued behind it), an
// upstream stopped behind nginx at constant load is one outage with its start and end, and the open model
// at 3× the target's capacity fails its gates where a third of it passes.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli, startCli} from '../cli/run-cli.js';
import {stackTools, startGunicornShop, startProxy, type GunicornShop, type Proxy} from '../helpers/stacks.js';
import type {Summary} from '../../source/report/summary.js';

const tools = stackTools();
const dir = mkdtempSync(join(tmpdir(), 'brink-stacks-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Summary;

/** CPU an order burns holding the shop's one lock: the shop takes at most 1000 / ORDER_MS orders a second. */
const ORDER_MS = 25;

describe.skipIf(!tools.ok)(`verdicts on real stacks${tools.ok ? '' : ` (skipped: ${tools.missing} not installed)`}`, () => {
  describe('gunicorn, 2 sync workers: checkout holds a lock, product reads are cheap', () => {
    let shop: GunicornShop;
    beforeAll(async () => {
      shop = await startGunicornShop({workers: 2, orderCpuMs: ORDER_MS});
    }, 20_000);
    afterAll(() => shop?.stop());

    it('find-limit names the lock holder as the bottleneck and the reads as what it hurt', async () => {
      const scenario = join(dir, 'lock-shop.ts');
      writeFileSync(
        scenario,
        `import {scenario, user, task, constant} from 'brink';
export default scenario({
  name: 'lock shop',
  users: [user('shopper', {wait: constant(0.05)}, [
    task(4, ({http, randomInt}) => http.get(\`/api/products/\${randomInt(1, 500)}\`, {name: 'GET /api/products/:id'})),
    task(1, ({http}) => http.post('/api/orders', {json: {product_id: 1}})),
  ])],
});
`,
      );
      const json = join(dir, 'find-limit.json');
      const r = await runCli([
        'find-limit',
        scenario,
        '--host',
        shop.url,
        '--start',
        '2',
        '--step-users',
        '4',
        '--step-time',
        '3s',
        '--max-users',
        '60',
        '--recovery-timeout',
        '15s',
        '--headless',
        '--workers',
        '1',
        '--json',
        json,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const s = read(json);
      const bp = s.breakingPoint;
      // Knee or breaking point, and which one the words say.
      expect(bp.reached).not.toBe('neither');
      expect(r.stdout).toMatch(bp.knee ? /^knee {13}at step \d+/m : /^knee {13}not reached/m);
      expect(bp.bottleneck?.endpoint).toBe('POST /api/orders');
      expect(bp.hurt?.[0]?.endpoint).toBe('GET /api/products/:id');
      expect(r.stdout).toMatch(
        /^bottleneck {7}POST \/api\/orders: ≈ \d+ % of busy time at the (knee|breaking point) \(step \d+, \d+ users\): [\d.]+ req\/s × [\d.]+ ms/m,
      );
      expect(r.stdout).toMatch(/^hurt first {7}GET \/api\/products\/:id {2}p95 [\d.]+ms → [\d.]+m?s .*queued behind POST \/api\/orders/m);

      // The truth, from the shop's own log: in the step the bottleneck was judged on, the lock was held most of the
      // time (each order logs how long it held it, wall time: on a busy box a descheduled holder holds it longer).
      const judged = s.steps.find((x) => x.step === bp.bottleneck!.segment)!;
      const t0 = Date.parse(s.startedAt);
      const inStep = shop.lines().filter((l) => l.atMs >= t0 + judged.settledFromMs && l.atMs < t0 + judged.toMs);
      const seconds = (judged.toMs - judged.settledFromMs) / 1000;
      const lockBusy = inStep.reduce((n, l) => n + l.lockMs, 0) / 1000 / seconds;
      console.log(
        `judged at step ${judged.step} (${judged.users} users): lock held ${(lockBusy * 100).toFixed(0)} % of the time; brink: ${bp.bottleneck!.evidence}`,
      );
      expect(lockBusy).toBeGreaterThan(0.6);
      // brink's estimate of the checkout's busy time is close to the lock's, within what its service-time estimate allows.
      expect(Math.abs(bp.bottleneck!.busy - lockBusy) / lockBusy).toBeLessThan(0.35);

      // Counts are the server's, and every request sits in one step (the run's own recovery window included).
      const served = shop.counts();
      const brink = Object.fromEntries(s.endpoints.map((e) => [`${e.method} ${e.name}`, e.requests]));
      expect(brink['POST /api/orders']).toBe(served['POST /api/orders']);
      expect(brink['GET /api/products/:id']).toBe(served['GET /api/products/<int:id>']);
      expect(s.steps.at(-1)?.kind).toBe('recovery');
      expect(s.steps.filter((x) => x.kind === 'manual')).toEqual([]);
      // find-limit judged whole steps: no partial step of its own before the recovery window.
      for (const x of s.steps.filter((k) => k.kind === 'step')) expect(x.toMs - x.fromMs, x.label).toBeGreaterThanOrEqual(2500);
      expect(s.steps.reduce((n, x) => n + x.requests, 0)).toBe(s.totals.requests);
      expect(bp.maxSustainable!.failRate).toBeLessThanOrEqual(0.01);
    }, 90_000);

    it('the open model cannot hide queueing: at 3× capacity the gates fail (exit 99); at a third they pass, nothing dropped', async () => {
      const capacity = 1000 / ORDER_MS; // 40 orders a second
      const gates = ['--threshold', 'errors<5%', '--threshold', 'p99<1s'];
      const before = shop.counts()['POST /api/orders'] ?? 0;
      const over = join(dir, 'open-over.json');
      const overloaded = await runCli([
        `${shop.url}/api/orders`,
        '-m',
        'POST',
        '--rate',
        String(3 * capacity),
        '--max-users',
        '40',
        '-d',
        '6s',
        '--headless',
        '--workers',
        '1',
        '--json',
        over,
        ...gates,
      ]);
      const o = read(over);
      console.log(
        `3× capacity: due ${o.totals.scheduled}, started ${o.totals.started}, dropped ${o.totals.dropped}, p99 ${o.totals.latencyMs.p99} ms (sent→answer p99 ${o.totals.uncorrectedLatencyMs?.p99} ms)`,
      );
      expect(overloaded.code, overloaded.stdout.slice(-1500)).toBe(99);
      expect(o.thresholds.map((t) => [t.expression, t.pass])).toEqual([
        ['errors<5%', false],
        ['p99<1s', false],
      ]);
      // Nothing skipped in silence: what fell due was sent or dropped (a failure the error gate saw).
      expect(o.totals.scheduled! / 6).toBeGreaterThan(3 * capacity * 0.85);
      expect(Math.abs(o.totals.scheduled! - (o.totals.started! + o.totals.dropped)) / o.totals.scheduled!).toBeLessThan(0.03);
      expect(o.totals.failuresByKind.dropped).toBe(o.totals.dropped);
      expect(o.totals.requests).toBe(shop.counts()['POST /api/orders'] - before);
      // The shop answered at its capacity (its own log says); the queue in front of it is in the corrected latency,
      // not in the uncorrected one.
      const served = shop
        .lines()
        .filter((l) => l.route === '/api/orders')
        .slice(before)
        .map((l) => l.atMs);
      expect((served.length - 1) / ((served.at(-1)! - served[0]) / 1000)).toBeLessThan(capacity * 1.1);
      expect(o.totals.latencyMs.p99).toBeGreaterThan(1000);
      expect(o.totals.uncorrectedLatencyMs!.p50).toBeLessThan(o.totals.latencyMs.p50);
      expect(overloaded.stdout).toMatch(/open model: [\d,]+ iterations due, [\d,]+ started, [\d,]+ dropped/);

      const under = join(dir, 'open-under.json');
      const light = await runCli([
        `${shop.url}/api/orders`,
        '-m',
        'POST',
        '--rate',
        String(Math.round(capacity / 3)),
        '--max-users',
        '40',
        '-d',
        '4s',
        '--headless',
        '--workers',
        '1',
        '--json',
        under,
        ...gates,
      ]);
      const u = read(under);
      expect(light.code, light.stdout.slice(-1500)).toBe(0);
      expect(u.totals.dropped).toBe(0);
      expect(u.totals.failures).toBe(0);
      expect(u.totals.scheduled).toBe(u.totals.started);
    }, 60_000);
  });

  describe('nginx in front of an upstream that stops for 6 s while the load stays constant', () => {
    let proxy: Proxy;
    beforeAll(async () => {
      proxy = await startProxy();
    }, 20_000);
    afterAll(() => proxy?.stop());

    it('is one outage, with its start and end within 2 s of the truth, told as it happens and in the verdict', async () => {
      const json = join(dir, 'outage.json');
      const run = startCli([`${proxy.url}/`, '-c', '4', '-d', '13s', '--headless', '--workers', '1', '--json', json]);
      await sleep(3500);
      const downAt = Date.now();
      await proxy.upstreamDown();
      await sleep(6000);
      const upAt = Date.now();
      await proxy.upstreamUp();
      const r = await run.result;
      expect(r.code, r.stderr).toBe(0);
      const s = read(json);
      const t0 = Date.parse(s.startedAt);
      expect(s.outages).toHaveLength(1);
      const [o] = s.outages!;
      console.log(`outage: truth ${downAt - t0}–${upAt - t0} ms, brink ${o.fromMs}–${o.toMs} ms, ${o.failures} failures`);
      expect(Math.abs(o.fromMs - (downAt - t0))).toBeLessThanOrEqual(2000);
      expect(Math.abs(o.toMs! - (upAt - t0))).toBeLessThanOrEqual(2000);
      expect(o.nothingSucceeded).toBe(true);
      // Every 502 brink counted is one nginx logged, and they are the outage's failures.
      const log = await proxy.settledLog(s.totals.requests);
      expect(s.totals.requests).toBe(log.length);
      expect(s.totals.failuresByKind.http_502).toBe(log.filter((l) => l.status === 502).length);
      // The outage holds nearly all of them: the rest fell in the good interval that ended it (it straddles the restart).
      expect(o.failuresByKind.http_502).toBeLessThanOrEqual(s.totals.failuresByKind.http_502);
      expect(o.failuresByKind.http_502 / s.totals.failuresByKind.http_502).toBeGreaterThan(0.9);
      // Told as it happened, and in the verdict.
      const events = s.events.map((e) => e.text);
      expect(events).toContainEqual('outage began (502 from the proxy)');
      expect(events.find((e) => e.startsWith('outage over after'))).toMatch(/^outage over after [5-7]\.\d s/);
      expect(r.stdout).toMatch(
        /^outages {10}00:0\d–00:\d\d \([5-7]\.\d s\): [\d,]+ × 502 from the proxy, nothing succeeded \([\d,]+ at its edges\)$/m,
      );
    }, 40_000);
  });
});
