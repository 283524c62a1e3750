// The real-stack helpers do what the tests built on them will take for granted: the gunicorn shop counts
// every request, serialises orders across its worker processes, and nginx answers 502 at once while its
// upstream is down and 200 again once it is back, logging each answer.
import {existsSync} from 'node:fs';
import http from 'node:http';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {stackTools, startGunicornShop, startProxy, type GunicornShop, type Proxy} from '../helpers/stacks.js';

const tools = stackTools();

/** `n` requests at once; their answers and the wall time until the last one. */
async function burst(
  n: number,
  request: (i: number) => Promise<Response>,
): Promise<{answers: {status: number; worker: string | null; body: any}[]; ms: number}> {
  const start = performance.now();
  const answers = await Promise.all(
    Array.from({length: n}, async (_, i) => {
      const res = await request(i);
      return {status: res.status, worker: res.headers.get('x-worker'), body: await res.json()};
    }),
  );
  return {answers, ms: performance.now() - start};
}

describe.skipIf(!tools.ok)(`real stacks${tools.ok ? '' : ` (skipped: ${tools.missing} not installed)`}`, () => {
  describe('gunicorn shop', () => {
    let shop: GunicornShop;
    beforeAll(async () => {
      shop = await startGunicornShop({workers: 2, orderCpuMs: 25});
    }, 20_000);
    afterAll(() => shop?.stop());

    it('counts every request by route, and serialises orders across both workers', async () => {
      const order = () => fetch(`${shop.url}/api/orders`, {method: 'POST'});
      const product = (i: number) => fetch(`${shop.url}/api/products/${i}`);
      await burst(2, product); // warm both workers up

      const orders = await burst(8, order);
      const products = await burst(8, product);
      const missing = await fetch(`${shop.url}/nope`);

      expect(orders.answers.map((a) => a.status)).toEqual(Array(8).fill(201));
      // One counter under the lock: no id twice, none skipped, although both workers took orders.
      expect(orders.answers.map((a) => a.body.id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(new Set(orders.answers.map((a) => a.worker)).size).toBe(2);
      // 8 × 25 ms of CPU, one order at a time; the cheap reads on the same two workers are not held up.
      expect(orders.ms).toBeGreaterThanOrEqual(8 * 25 - 2);
      expect(products.ms).toBeLessThan(orders.ms / 2);
      expect(products.answers.map((a) => a.body.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(missing.status).toBe(404);

      const {'GET /health': health, ...counted} = shop.counts();
      expect(health).toBeGreaterThanOrEqual(1);
      expect(counted).toEqual({'POST /api/orders': 8, 'GET /api/products/<int:id>': 10, 'GET -': 1});
      expect(shop.statuses()).toMatchObject({'POST /api/orders 201': 8, 'GET /api/products/<int:id> 200': 10, 'GET - 404': 1});
      const orderTimes = shop
        .lines()
        .filter((l) => l.route === '/api/orders')
        .map((l) => l.atMs);
      expect(Math.max(...orderTimes) - Math.min(...orderTimes)).toBeGreaterThanOrEqual(7 * 25 - 5);
    });

    it('stop() leaves nothing listening', async () => {
      const other = await startGunicornShop({workers: 1});
      await other.stop();
      await expect(fetch(`${other.url}/health`)).rejects.toThrow();
      expect(existsSync(other.dir)).toBe(false);
    }, 20_000);
  });

  describe('nginx proxy', () => {
    let proxy: Proxy;
    // One keep-alive connection for every request: nginx keeps its clients' connections, 502s included.
    const agent = new http.Agent({keepAlive: true, maxSockets: 1});
    beforeAll(async () => {
      proxy = await startProxy();
    }, 20_000);
    afterAll(async () => {
      agent.destroy();
      await proxy?.stop();
    });

    const get = (path: string) =>
      new Promise<{status: number; ms: number; reused: boolean}>((resolve, reject) => {
        const start = performance.now();
        const req = http.get(`${proxy.url}${path}`, {agent}, (res) => {
          res.resume();
          res.on('end', () => resolve({status: res.statusCode!, ms: performance.now() - start, reused: req.reusedSocket}));
        });
        req.on('error', reject);
      });
    const phase = async (name: string, n = 10) => {
      const out = [];
      for (let i = 0; i < n; i++) out.push(await get(`/${name}?i=${i}`));
      return out;
    };

    it('answers 200 while the upstream is up, 502 at once while it is down, 200 again once it is back', async () => {
      const start = Date.now();
      const before = await phase('before');
      await proxy.upstreamDown();
      const during = await phase('during');
      await proxy.upstreamUp();
      const after = await phase('after');
      const end = Date.now();

      expect(before.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(during.map((r) => r.status)).toEqual(Array(10).fill(502));
      expect(Math.max(...during.map((r) => r.ms))).toBeLessThan(50);
      expect(after.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect([...before, ...during, ...after].filter((r) => r.reused)).toHaveLength(29);
      expect(proxy.upstreamHits()).toBe(20);

      const log = await proxy.settledLog(30);
      expect(log).toHaveLength(30);
      expect(log.map((l) => `${l.status} ${l.uri.split('?')[0]} ${l.upstreamStatus}`)).toEqual([
        ...Array(10).fill('200 /before 200'),
        ...Array(10).fill('502 /during 502'),
        ...Array(10).fill('200 /after 200'),
      ]);
      expect(Math.min(...log.map((l) => l.atMs))).toBeGreaterThanOrEqual(start - 1);
      expect(Math.max(...log.map((l) => l.atMs))).toBeLessThanOrEqual(end + 1);
      // Nothing more comes once the traffic has stopped.
      expect(await proxy.settledLog()).toHaveLength(30);
    });
  });
});
