// A worker thread that dies mid-run is reported in the run's events and replaced; its users restart on
// the replacement, and the counts stay consistent with what the server saw.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Worker} from 'node:worker_threads';
import {startFaultServer, type FaultServer} from '../helpers/fault-server.js';
import {endpoint, scenarioFile, sleep} from '../helpers/run.js';
import {Engine} from '../../source/engine/engine.js';

let server: FaultServer;
let dir: string;
beforeAll(async () => {
  server = await startFaultServer();
  dir = mkdtempSync(join(tmpdir(), 'brink-death-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, {recursive: true, force: true});
});

/** `?u=<userId>` requests the server received, per user, at or after `since` (epoch ms). */
function byUser(path: string, since = 0): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of server.requests) {
    if (r.path !== path || r.at < since) continue;
    const u = r.query.get('u') ?? '?';
    out[u] = (out[u] ?? 0) + 1;
  }
  return out;
}

describe('a worker that dies', () => {
  it('process.exit() in a task is a script error at its line: no worker dies, the user goes on, every request counted', async () => {
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {wait: {kind: 'constant', seconds: 0.02}}, [
  task('t', async ({http, userId, vars}) => {
    vars.n = (vars.n ?? 0) + 1;
    await http.get('/ok?u=' + userId, {name: 'ok'});
    if (userId === 0 && vars.n === 10) process.exit(9); // EXIT LINE
  }),
])]});
`);
    const line = sc.source.split('\n').findIndex((l) => l.includes('EXIT LINE')) + 1;
    const before = server.count('GET /ok');
    const engine = new Engine({workload: sc.workload, host: server.url, workers: 2, intervalMs: 250});
    try {
      await engine.start();
      engine.setUsers(2);
      await sleep(1500);
    } finally {
      await engine.stop();
      sc.cleanup();
    }
    const final = engine.state;
    expect(final.scriptErrors).toEqual([
      expect.objectContaining({
        task: 't',
        where: `scenario.ts:${line}`,
        count: 1,
        message: expect.stringMatching(/^process\.exit\(9\) called in the scenario/),
      }),
    ]);
    expect(final.events.filter((e) => /died|replaced/.test(e.text))).toEqual([]);
    expect(endpoint(final, 'GET ok').requests).toBe(server.count('GET /ok') - before);
    // User 0 went on after its 10th task.
    expect(byUser('/ok')['0']).toBeGreaterThan(12);
  }, 30_000);

  it('out of memory: reported with the cause, replaced; what it measured before is kept', async () => {
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
const kept: unknown[] = [];
export default scenario({users: [user('u', {wait: {kind: 'constant', seconds: 0.05}}, [
  task('t', async ({http, userId, vars}) => {
    vars.n = (vars.n ?? 0) + 1;
    await http.get('/ok?u=' + userId, {name: 'ok'});
    // User 0 starts hoarding after a second of requests: about 40 MB a task.
    if (userId === 0 && vars.n > 20) for (let i = 0; i < 2e5; i++) kept.push({i, s: 'x'.repeat(150)});
  }),
])]});
`);
    const before = server.count('GET /ok');
    const engine = new Engine({workload: sc.workload, host: server.url, workers: 2, intervalMs: 250, workerHeapMb: 96});
    let measuredBefore = 0;
    try {
      await engine.start();
      engine.onState((s) => {
        if (!s.events.some((e) => /died/.test(e.text))) measuredBefore = s.totals.requests;
      });
      engine.setUsers(2);
      const until = Date.now() + 20_000;
      while (!engine.state.events.some((e) => /replaced/.test(e.text)) && Date.now() < until) await sleep(50);
      await sleep(500);
    } finally {
      await engine.stop();
      sc.cleanup();
    }
    const texts = engine.state.events.map((e) => e.text);
    expect(texts).toContainEqual(expect.stringMatching(/^worker 0 died \(it ran out of memory \(its heap limit is 96 MB\): /));
    expect(texts).toContain('worker 0 replaced; its users restarted');
    // Nothing measured before the death was lost, and nothing was invented.
    expect(measuredBefore).toBeGreaterThan(20);
    expect(engine.state.totals.requests).toBeGreaterThanOrEqual(measuredBefore);
    expect(engine.state.totals.requests).toBeLessThanOrEqual(server.count('GET /ok') - before);
  }, 40_000);

  it('killed abruptly (no last words, as a native crash): reported, replaced, the open-model rate restored; brink never counts more than the server', async () => {
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {}, [
  task('t', async ({http, userId}) => { await http.get('/ok?u=' + userId, {name: 'ok'}); }),
])]});
`);
    const before = server.count('GET /ok');
    const engine = new Engine({workload: sc.workload, host: server.url, workers: 2, intervalMs: 250});
    let killedAt = 0;
    try {
      await engine.start();
      engine.setRate(40, 10); // 20 a second on each worker
      await sleep(1000);
      // A thread that vanishes without running any JavaScript: terminate() from outside.
      await (engine as unknown as {pool: {workers: Worker[]}}).pool.workers[0].terminate();
      killedAt = Date.now();
      const until = Date.now() + 15_000;
      while (!engine.state.events.some((e) => /replaced/.test(e.text)) && Date.now() < until) await sleep(50);
      await sleep(1500);
    } finally {
      await engine.stop();
      sc.cleanup();
    }
    const final = engine.state;
    const texts = final.events.map((e) => e.text);
    console.log(
      'events:',
      texts.filter((t) => /worker/.test(t)),
      'series rps:',
      final.series.map((p) => p.rps.toFixed(0)).join(' '),
    );
    expect(
      texts.some((t) =>
        /^worker 0 died \(exit code 1\); a new worker takes over its share of the arrival rate \(it ran \d+ users\)$/.test(t),
      ),
    ).toBe(true);
    expect(texts).toContain('worker 0 replaced; its users restarted');
    const counted = endpoint(final, 'GET ok').requests;
    const served = server.count('GET /ok') - before;
    // What the killed worker did since its last snapshot is lost (at most an interval of its share), never invented.
    expect(counted).toBeLessThanOrEqual(served);
    expect(served - counted).toBeLessThanOrEqual(20);
    // The replacement took over worker 0's share of the rate: both halves of the user numbers were served again.
    const after = byUser('/ok', killedAt + 1000);
    const evens = Object.entries(after)
      .filter(([u]) => Number(u) % 2 === 0)
      .reduce((n, [, c]) => n + c, 0);
    const odds = Object.entries(after)
      .filter(([u]) => Number(u) % 2 === 1)
      .reduce((n, [, c]) => n + c, 0);
    expect(evens).toBeGreaterThan(5);
    expect(odds).toBeGreaterThan(5);
    // Both shares of the rate again by the end (40 a second, not 20): the median of the last five full intervals.
    // One interval alone can read half: a worker that answers a snapshot late has its count folded into the next.
    const lastFull = final.series
      .slice(-6, -1)
      .map((p) => p.rps)
      .sort((a, b) => a - b);
    expect(lastFull[2]).toBeGreaterThan(25);
  }, 30_000);
});
