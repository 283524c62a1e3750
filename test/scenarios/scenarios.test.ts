// Every example scenario, run by the real engine against the demo shop: no failures, the endpoints it
// is about show up, and brink's per-endpoint counts equal what the shop itself received.
//
// The scenarios' think times (1–5 s) are divided by SPEEDUP for the run: a wrapper scenario imports
// the example unchanged and only rescales `wait`, so a few seconds cover many iterations of every
// task, and the rare ones (checkout, profile update) reliably happen.
import {afterEach, describe, expect, it} from 'vitest';
import {fileURLToPath} from 'node:url';
import {join} from 'node:path';
import {symlinkSync} from 'node:fs';
import {Engine} from '../../source/engine/engine.js';
import {loadScenario} from '../../source/scenario/load.js';
import type {RunState} from '../../source/engine/run-state.js';
import {startShop, type RunningShop, type ShopStats, type StartShopOptions} from '../../source/demo/shop.js';
import {tempDir} from '../helpers/run.js';

const SCENARIOS = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const SPEEDUP = 20;
const RUN_MS = 4500;

interface Case {
  readonly file: string;
  readonly users: number;
  readonly types: ReadonlyArray<string>;
  /** Endpoints (brink's keys) that must have been hit. */
  readonly endpoints: ReadonlyArray<string>;
  readonly shop?: StartShopOptions;
  /** How long the users run, when the default is short for the flow (RUN_MS). */
  readonly runMs?: number;
}

const CASES: ReadonlyArray<Case> = [
  {
    file: 'browse.ts',
    users: 8,
    types: ['visitor'],
    endpoints: ['GET /', 'GET /products/:id', 'GET /products', 'GET /search', 'GET /pricing'],
  },
  {
    file: 'form-login.ts',
    users: 8,
    types: ['member'],
    endpoints: ['GET /login', 'POST /login', 'GET /dashboard', 'GET /settings', 'POST /profile'],
  },
  {
    file: 'shop-api.ts',
    users: 12,
    types: ['browser', 'shopper'],
    endpoints: [
      'GET /api/products',
      'GET /api/products/:id',
      'POST /api/auth/login',
      'POST /api/cart/items',
      'GET /api/cart',
      'POST /api/orders',
    ],
  },
  {
    file: 'upload.ts',
    users: 6,
    types: ['uploader'],
    endpoints: ['POST /api/auth/login', 'POST /upload/avatar', 'POST /api/imports', 'GET /api/imports/:id'],
  },
  // Tokens that live 2 s, so the run refreshes them (ahead of time, and after a 401 if one comes).
  {
    file: 'reports.ts',
    users: 5,
    types: ['analyst'],
    endpoints: ['POST /api/auth/login', 'POST /api/auth/refresh', 'GET /api/reports/orders', 'GET /api/reports/customers'],
    shop: {tokenTtlMs: 2000},
  },
  {file: 'user-lookup.ts', users: 4, types: ['client'], endpoints: ['GET /user/:id']},
  // Written by `brink init --from-har` from a browser's recording: its recorded tokens are stale, its flow reads fresh ones.
  {
    file: 'har-shop.ts',
    users: 4,
    // Its recorded pauses (3.6 s a pass) are sleeps, not `wait`: not sped up, so a pass needs more than RUN_MS on a busy machine.
    runMs: 7000,
    types: ['visitor'],
    endpoints: ['GET /', 'GET /products/:id', 'GET /login', 'POST /login', 'POST /profile', 'POST /api/auth/login', 'POST /api/orders'],
  },
  // A support chat over a WebSocket (its handshake carries the bearer token) and a feed of server-sent events: the
  // shop counts handshakes, messages answered, streams and events sent as brink counts samples.
  {file: 'ws-chat.ts', users: 6, types: ['chatter'], endpoints: ['POST /api/auth/login', 'WS /ws/chat (connect)', 'WS /ws/chat']},
  {file: 'sse-feed.ts', users: 4, types: ['watcher'], endpoints: ['SSE /events', 'SSE /events (gap)', 'GET /api/products/:id']},
  {
    file: 'demo.ts',
    users: 10,
    types: ['visitor', 'member', 'shopper'],
    endpoints: [
      'GET /',
      'GET /products/:id',
      'POST /login',
      'GET /dashboard',
      'POST /api/auth/login',
      'POST /api/cart/items',
      'POST /api/orders',
    ],
  },
];

/** Requests the shop answered with a redirect that brink followed: brink counts the pair under the first. */
const FOLLOWED: Readonly<Record<string, string>> = {'POST /login': 'GET /dashboard', 'POST /profile': 'GET /settings'};

/** The shop's per-route counts, with the redirect hops brink folds into the request that caused them removed. */
function shopCountsAsBrinkSees(stats: ShopStats): Record<string, number> {
  const counts = {...stats.requests};
  for (const [from, to] of Object.entries(FOLLOWED)) {
    const followed = stats.statuses[from]?.['302'] ?? 0;
    if (followed > 0) counts[to] -= followed;
    if (counts[to] === 0) delete counts[to];
  }
  return counts;
}

function describeFailures(state: RunState): string {
  return state.endpoints
    .filter((e) => e.failures > 0)
    .map(
      (e) =>
        `${e.key}: ${e.failures} failures ${JSON.stringify(e.failuresByKind)} ${JSON.stringify(e.statusCodes)}\n${e.errors.map((s) => `    ${s.kind} ×${s.count}: ${s.message}`).join('\n')}`,
    )
    .join('\n');
}

/** A scenario that imports `file` unchanged and divides its think times by SPEEDUP. */
function fastWrapper(file: string): string {
  return `import {scenario} from 'brink';
import base from ${JSON.stringify(file)};
const faster = (w) => !w ? w : w.kind === 'between' ? {...w, min: w.min / ${SPEEDUP}, max: w.max / ${SPEEDUP}} : {...w, seconds: w.seconds / ${SPEEDUP}};
export default scenario({...base, users: base.users.map((u) => ({...u, wait: faster(u.wait)}))});
`;
}

let shop: RunningShop | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

describe('example scenarios against the demo shop', () => {
  for (const c of CASES) {
    it(`${c.file}: ${c.users} users, no failures, counts match the shop`, async () => {
      const file = join(SCENARIOS, c.file);
      // The file as users load it: it bundles, and its default export has the expected user types.
      const plain = await loadScenario(file);
      try {
        expect(plain.scenario.users.map((u) => u.name)).toEqual(c.types);
      } finally {
        plain.dispose();
      }

      shop = await startShop(c.shop);
      const tmp = tempDir('brink-scenario-fast-');
      // The loader checks csv() files next to the file it loads (here the wrapper), as workers read them next
      // to theirs: the wrapper's directory gets the examples' data/ too.
      symlinkSync(join(SCENARIOS, 'data'), join(tmp.dir, 'data'));
      const loaded = await loadScenario(tmp.write('fast.ts', fastWrapper(file)));
      let state: RunState;
      try {
        // scenarioFile is the real file: data paths (data/accounts.csv) resolve next to it.
        const engine = new Engine({
          workload: {kind: 'scenario', bundleUrl: loaded.bundleUrl, scenarioFile: file},
          host: shop.url,
          workers: 1,
          intervalMs: 500,
        });
        await engine.start();
        engine.setUsers(c.users);
        await new Promise((r) => setTimeout(r, c.runMs ?? RUN_MS));
        state = await engine.stop();
      } finally {
        loaded.dispose();
        tmp.cleanup();
      }

      expect(state.totals.failures, describeFailures(state)).toBe(0);
      expect(state.startFailures).toBe(0);
      const brink = Object.fromEntries(state.endpoints.map((e) => [e.key, e.requests]));
      for (const key of c.endpoints) expect(brink[key] ?? 0, `${key} in ${JSON.stringify(brink)}`).toBeGreaterThan(0);
      const stats = shop.stats();
      expect(brink).toEqual(shopCountsAsBrinkSees(stats));
      expect(stats.shed + stats.timedOut).toBe(0);
      if (c.file === 'user-lookup.ts') {
        const codes = state.endpoints[0].statusCodes;
        expect(codes['200']).toBeGreaterThan(0);
        expect(codes['404']).toBeGreaterThan(0);
      }
    }, 30_000);
  }
});
