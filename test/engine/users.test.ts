// The user count: setUsers changes real concurrency, onStart failures are retried, endpoint names are capped.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFaultServer, type FaultServer} from '../helpers/fault-server.js';
import {endpoint, run, scenarioFile, scriptErrors, sleep} from '../helpers/run.js';
import {Engine} from '../../source/engine/engine.js';
import {OVERFLOW_NAME} from '../../source/protocol/snapshot.js';
import type {RunState} from '../../source/engine/run-state.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.close();
});

/**
 * The most requests in flight at once over `ms`, once a change has settled for `settleMs`. When that is not
 * yet `expected`, it looks again for up to 5 s more: a loaded machine (the suite runs files side by side on
 * 2 cores) can start hundreds of users more slowly. A count that settles anywhere else still comes back wrong.
 */
async function plateau(settleMs: number, ms: number, expected: number): Promise<number> {
  await sleep(settleMs);
  const deadline = Date.now() + 5000;
  for (;;) {
    server.resetMax();
    await sleep(ms);
    if (server.concurrency.max === expected || Date.now() > deadline) return server.concurrency.max;
  }
}

/** One worker of quick-mode users whose every request the server holds 200 ms: users in flight = users. */
async function holdingEngine(): Promise<Engine> {
  const engine = new Engine({
    workload: {kind: 'quick', method: 'GET', path: '/hold?ms=200', headers: {}},
    host: server.url,
    workers: 1,
    intervalMs: 250,
  });
  await engine.start();
  return engine;
}

describe('setUsers', () => {
  it('changes the concurrency the server sees, up and down; removed users finish their request', async () => {
    const engine = new Engine({
      workload: {kind: 'quick', method: 'GET', path: '/hold?ms=100', headers: {}},
      host: server.url,
      workers: 2,
      intervalMs: 250,
    });
    await engine.start();
    const states: RunState[] = [];
    engine.onState((s) => states.push(s));
    const abortedBefore = server.aborted;
    const before = server.count('GET /hold');
    try {
      engine.setUsers(5);
      expect(await plateau(300, 600, 5)).toBe(5);
      engine.setUsers(15);
      expect(engine.users).toEqual({current: 15, target: 15, stranded: 0});
      expect(await plateau(300, 600, 15)).toBe(15);
      engine.setUsers(3);
      // The 12 removed users end after their current request (≤ 100 ms).
      expect(await plateau(250, 600, 3)).toBe(3);
      expect(server.concurrency.current).toBeLessThanOrEqual(3);
    } finally {
      await engine.stop();
    }
    const final = engine.state;
    expect(server.aborted - abortedBefore).toBe(0); // nobody hung up mid-request
    expect(final.totals.failures).toBe(0);
    expect(endpoint(final, 'GET /hold').requests).toBe(server.count('GET /hold') - before);
    // The workers reported the users they ran.
    const reported = states.map((s) => s.users.active);
    expect(reported).toContain(5);
    expect(reported).toContain(15);
    expect(reported).toContain(3);
    // The final partial interval ran with 3 users (2 on worker 0, 1 on worker 1): that is what it reports, not the 0 after the stop.
    expect(final.health.workers.map((w) => w.users)).toEqual([2, 1]);
    expect(final.users.active).toBe(3);
  });

  it('starts hundreds of users at once a slice per turn, and a change in the middle of it is exact', async () => {
    const engine = await holdingEngine();
    const connectionsBefore = server.connections;
    try {
      engine.setUsers(450);
      expect(await plateau(800, 500, 450)).toBe(450);
      // Up to 700 and at once back to 260, while the new users are still being started a slice at a time.
      engine.setUsers(700);
      engine.setUsers(260);
      expect(await plateau(800, 500, 260)).toBe(260);
    } finally {
      await engine.stop();
    }
    // A user started once has one connection. Of the 250 asked for and withdrawn, the first slice (10) started
    // with the message; the slices after it were not started at all (all 250 would be without slicing).
    const opened = engine.state.connections.opened;
    expect(opened).toBe(server.connections - connectionsBefore);
    expect(opened).toBeGreaterThanOrEqual(460);
    expect(opened).toBeLessThan(600);
  });

  it('stops hundreds of users a slice per turn, and a change in the middle of it is exact', async () => {
    const engine = await holdingEngine();
    const abortedBefore = server.aborted;
    try {
      engine.setUsers(900);
      expect(await plateau(1000, 500, 900)).toBe(900);
      // Down to 100 (800 users told to stop, 200 a turn) and at once up to 400 while they are still being told.
      engine.setUsers(100);
      engine.setUsers(400);
      expect(await plateau(800, 500, 400)).toBe(400);
      expect(engine.state.users.stopping).toBe(0);
    } finally {
      await engine.stop();
    }
    expect(server.aborted - abortedBefore).toBe(0); // every stopped user finished its request
    expect(engine.state.totals.failures).toBe(0);
  });

  it("the stop's own work (users' onStop) is not read as saturation: the last interval reports the load before it", async () => {
    // 40 users whose onStop spins 25 ms each: a second of busy event loop once the run is stopped.
    const sc = await scenarioFile(`import {scenario, user, task, constant} from 'brink';
export default scenario({users: [user('u', {wait: constant(0.2), onStop: async () => { const end = Date.now() + 25; while (Date.now() < end); }}, [
  task(async ({http}) => { await http.get('/ok'); }),
])]});
`);
    try {
      const {final, states} = await run({workload: sc.workload, host: server.url, workers: 1, users: 40, durationMs: 1200});
      expect(states.length).toBeGreaterThan(2);
      // Counted, the stop's second of spinning would read as a saturated worker (ELU near 1). The load itself
      // (40 users, 0.2 s think) keeps a worker well under that, even on a busy 2-core box.
      expect(final.health.maxElu).toBeLessThan(0.9);
      expect(final.health.saturated).toBe(false);
      expect(endpoint(final, 'GET /ok').requests).toBeGreaterThan(40);
    } finally {
      sc.cleanup();
    }
  });

  /** Runs `fn` on a one-worker engine whose users each hold a request 50 ms. */
  async function ramping(fn: (engine: Engine) => Promise<void>): Promise<void> {
    const engine = new Engine({
      workload: {kind: 'quick', method: 'GET', path: '/hold?ms=50', headers: {}},
      host: server.url,
      workers: 1,
      intervalMs: 250,
    });
    await engine.start();
    try {
      await fn(engine);
    } finally {
      await engine.stop();
    }
  }

  it('ramps at spawnRate users a second', () =>
    ramping(async (engine) => {
      engine.setUsers(10, 10); // 10 users at 10/s: the first at once, about 6 after 0.5 s
      await sleep(550);
      const mid = engine.users.current;
      expect(mid).toBeGreaterThanOrEqual(4);
      expect(mid).toBeLessThanOrEqual(7);
      await sleep(700);
      expect(engine.users.current).toBe(10);
      server.resetMax();
      await sleep(300);
      expect(server.concurrency.max).toBe(10);
    }));

  it('hands a fast ramp out in small steps, not in bursts', () =>
    ramping(async (engine) => {
      engine.setUsers(400, 1000); // 400 users over 0.4 s
      const seen = new Set<number>();
      for (let i = 0; i < 60 && engine.users.current < 400; i++) {
        seen.add(engine.users.current);
        await sleep(10);
      }
      // Ramp ticks of 100 ms showed ~5 counts (batches of 100); ticks of 20 ms ~20, each a step of about 20.
      expect(seen.size).toBeGreaterThanOrEqual(10);
      expect(engine.users.current).toBe(400);
    }));

  it('starts the first user of a ramp at once, not a ramp tick later', () =>
    ramping(async (engine) => {
      engine.setUsers(3, 1); // the second user is due after 1 s
      await sleep(400);
      expect(engine.users.current).toBe(1);
      server.resetMax();
      await sleep(200);
      expect(server.concurrency.max).toBe(1);
    }));
});

describe('onStart failures', () => {
  it('are counted and retried; the user then runs its tasks', async () => {
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {
  onStart: async ({http, userId, vars}) => {
    vars.attempts = (vars.attempts ?? 0) + 1;
    if (userId === 1 && vars.attempts === 1) throw new Error('login flaked');
    if (userId === 3 && vars.attempts === 1) { await http.post('/status/500', {name: 'login'}); return; }
    await http.post('/login', {name: 'login'});
  },
}, [
  task(async ({http, userId, vars}) => { await http.get('/ok', {query: {user: userId, attempts: vars.attempts}}); }),
])]});
`);
    try {
      const before = server.requests.length;
      const {final, states} = await run({workload: sc.workload, host: server.url, workers: 2, users: 4, durationMs: 1800});
      const seen = server.requests.slice(before);
      // Users 1 and 3 failed once each; the retry comes 1 s later.
      expect(final.startFailures).toBe(2);
      expect(states.some((s) => s.startFailures > 0 && s.elapsedMs < 1200)).toBe(true);
      const [script] = scriptErrors(final, 'u onStart');
      expect(script.message).toBe('login flaked');
      expect(script.where).toMatch(/^scenario\.ts:\d+$/);
      expect(endpoint(final, 'POST login').failuresByKind).toEqual({http_500: 1});
      // Every user got going, the failed ones on their second attempt.
      const ok = seen.filter((r) => r.path === '/ok');
      const users = new Map(ok.map((r) => [r.query.get('user'), r.query.get('attempts')]));
      expect(Object.fromEntries(users)).toEqual({0: '1', 1: '2', 2: '1', 3: '2'});
      expect(seen.filter((r) => r.path === '/login')).toHaveLength(4);
    } finally {
      sc.cleanup();
    }
  });
});

describe('endpoint-name cardinality', () => {
  it.each([1, 2])('maxEndpoints caps the rows across %i worker(s), groups the rest and warns', async (workers) => {
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {}, [
  task(async ({http, vars}) => { vars.i = (vars.i ?? 0) + 1; await http.get('/p/' + vars.i); }),
])]});
`);
    try {
      const before = server.requests.length;
      const {final} = await run({workload: sc.workload, host: server.url, workers, users: 2, durationMs: 600, maxEndpoints: 10});
      const seen = server.requests.slice(before).filter((r) => r.path.startsWith('/p/'));
      expect(new Set(seen.map((r) => r.path)).size).toBeGreaterThan(30);
      expect(final.endpoints.length).toBeLessThanOrEqual(11);
      expect(final.endpoints.length).toBe(11);
      const overflow = endpoint(final, `* ${OVERFLOW_NAME}`);
      expect(final.endpoints.reduce((n, e) => n + e.requests, 0)).toBe(seen.length);
      expect(overflow.requests).toBe(seen.length - final.endpoints.filter((e) => e !== overflow).reduce((n, e) => n + e.requests, 0));
      expect(final.warnings.some((w) => /too many distinct endpoint names/.test(w))).toBe(true);
    } finally {
      sc.cleanup();
    }
  });
});
