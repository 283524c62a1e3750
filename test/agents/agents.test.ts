// Many load boxes: a real nats-server on loopback, brink agents as separate processes, a controller (the CLI
// with --agents). The counts are the target's own, the merged percentiles a single box's, an agent killed
// mid-run is reported lost and the run completes, a controller killed makes its agents stop within 5 s.
import {afterEach, describe, expect, it} from 'vitest';
import {mkdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {Worker} from 'node:worker_threads';
import {countingServer, type CountingServer} from '../cli/counting-server.js';
import {runCli, startCli, printedError} from '../cli/run-cli.js';
import {tempDir} from '../helpers/run.js';
import {natsServerBin, startAgent, startNats, type AgentProcess, type NatsServer} from '../helpers/nats.js';
import type {Summary} from '../../source/report/summary.js';
import {startShop} from '../../source/demo/shop.js';

const HAS_NATS = natsServerBin() !== undefined;
const tmp = tempDir('brink-agents-');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(agents: number, args: string[] = ['--workers', '1']): Promise<{nats: NatsServer; agents: AgentProcess[]}> {
  const nats = await startNats();
  cleanups.push(() => nats.close());
  const list = await Promise.all(Array.from({length: agents}, (_, i) => startAgent(nats.url, `a${i + 1}`, args)));
  for (const a of list) cleanups.push(() => a.kill('SIGKILL'));
  return {nats, agents: list};
}

async function target(handler?: Parameters<typeof countingServer>[0]): Promise<CountingServer> {
  const server = await countingServer(handler);
  cleanups.push(() => server.close());
  return server;
}

/** A target answering after 20 ms, one request in 25 after 200 ms, in a worker thread: the test's event loop does not pace it. */
async function delayServer(): Promise<{url: string; count(): number}> {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const http = require('node:http');
const {parentPort, workerData} = require('node:worker_threads');
let n = 0;
const server = http.createServer((req, res) => {
  Atomics.add(workerData, 0, 1);
  setTimeout(() => res.end('ok'), n++ % 50 < 2 ? 200 : 20);
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));`,
    {eval: true, workerData: counter},
  );
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  cleanups.push(() => worker.terminate());
  return {url: `http://127.0.0.1:${port}`, count: () => Atomics.load(counter, 0)};
}

const summaryOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Summary;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!HAS_NATS)('brink over agents (a real nats-server)', () => {
  it('-n over two agents: exactly n requests reach the target, and the run ends at the n-th', async () => {
    const {nats} = await setup(2, ['--workers', '2', '--once']);
    const server = await target();
    const json = join(tmp.dir, 'n.json');
    const started = Date.now();
    // 301 over 4 slots (2 agents × 2 workers): 76 + 75 + 75 + 75; no -d, so only the 301st ends it.
    const run = await runCli([
      `${server.url}/n`,
      '-n',
      '301',
      '-c',
      '9',
      '--headless',
      '--json',
      json,
      '--agents',
      nats.url,
      '--expect-agents',
      '2',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(server.counts.get('GET /n')).toBe(301);
    expect(summaryOf(json).totals.requests).toBe(301);
  });

  it("two agents: the counts are the target's own, and the merged p50/p99 are a single box's", {retry: 2}, async () => {
    const {nats, agents} = await setup(2, ['--workers', '1', '--once']);
    // Latency is the target's doing: 20 ms, 4 % at 200 ms, the same distribution whichever box sends; in a thread of its own.
    const server = await delayServer();
    const json = join(tmp.dir, 'two.json');
    const run = await runCli([
      `${server.url}/x`,
      '-c',
      '20',
      '-d',
      '3s',
      '--headless',
      '--json',
      json,
      '--agents',
      nats.url,
      '--expect-agents',
      '2',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const s = summaryOf(json);
    expect(s.totals.requests).toBe(server.count());
    expect(s.totals.requests).toBeGreaterThan(1000);
    expect(s.agents).toHaveLength(2);
    expect(s.agents!.map((a) => a.name).sort()).toEqual(['a1', 'a2']);
    // Users split by capacity: one worker each, ten users each; every agent sent its share.
    for (const a of s.agents!) {
      expect(a.users).toBe(10);
      expect(a.requests).toBeGreaterThan(s.totals.requests / 4);
      expect(a.lost).toBe(false);
    }
    expect(s.agents!.reduce((n, a) => n + a.requests, 0)).toBe(s.totals.requests);
    expect(run.stdout).toMatch(/\nagents \(2\)\n {2}a1 {2}\S+ {2}10 users {2}[\d,]+ requests {2}0 failures\n {2}a2 /);
    // Each agent exits after its run (--once), 0: the run completed.
    expect(await Promise.all(agents.map((a) => a.exited))).toEqual([0, 0]);

    const single = join(tmp.dir, 'single.json');
    const one = await runCli([`${server.url}/x`, '-c', '20', '-d', '3s', '--headless', '--json', single, '--workers', '2']);
    expect(one.code, one.stderr).toBe(0);
    const b = summaryOf(single);
    // Within noise: p50 is the target's 20 ms, p99 its 200 ms; a shared 2-core box adds stalls of tens of ms, which
    // move a percentile that sits in the middle of a mode little. Under a busy suite (other files' runs on the same
    // cores) a stall can still reach 80 ms: the test may then be tried again (retry), its exact counts checked on every try.
    const near = {p50: (alone: number) => Math.max(3, alone * 0.1), p99: (alone: number) => Math.max(10, alone * 0.15)};
    for (const p of ['p50', 'p99'] as const) {
      const [merged, alone] = [s.totals.latencyMs[p], b.totals.latencyMs[p]];
      expect(Math.abs(merged - alone), `${p}: agents ${merged} ms, one box ${alone} ms`).toBeLessThanOrEqual(near[p](alone));
    }
  });

  it("a scenario's bundle and its csv() files reach the agents, and each user keeps its own row", async () => {
    const {nats} = await setup(2);
    const seen = new Map<string, Set<string>>();
    const server = await target((req) => {
      const u = new URL(req.url!, 'http://x');
      const user = u.searchParams.get('user')!;
      if (!seen.has(user)) seen.set(user, new Set());
      seen.get(user)!.add(`${u.searchParams.get('name')} ${u.searchParams.get('city')} ${u.searchParams.get('big')}`);
      return false;
    });
    const dir = join(tmp.dir, 'project', 'scenarios');
    mkdirSync(join(dir, 'data'), {recursive: true});
    tmp.write('project/shared.csv', 'city\nOslo\nLima\n');
    tmp.write('project/scenarios/data/users.csv', 'name\nann\nbob\ncyd\ndan\n');
    // Over NATS's 1 MB message limit: it goes in chunks.
    tmp.write('project/scenarios/data/big.csv', `n,pad\n${Array.from({length: 60_000}, (_, i) => `r${i},${'x'.repeat(20)}`).join('\n')}\n`);
    const file = tmp.write(
      'project/scenarios/rows.ts',
      `import {scenario, user, task, csv} from 'brink';
const users = csv('data/users.csv');
const cities = csv('../shared.csv');
const big = csv('data/big.csv');
export default scenario({name: 'rows', users: [user('u', [
  task(({http, data, userId}) => http.get('/row?user=' + userId + '&name=' + data(users).name + '&city=' + data(cities).city + '&big=' + data(big).n)),
])]});
`,
    );
    const json = join(tmp.dir, 'rows.json');
    const run = await runCli([
      'run',
      file,
      '--host',
      server.url,
      '-u',
      '4',
      '-t',
      '2s',
      '--headless',
      '--json',
      json,
      '--agents',
      nats.url,
      '--expect-agents',
      '2',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const s = summaryOf(json);
    expect(s.totals.requests).toBe(server.total());
    expect(s.totals.failures).toBe(0);
    // Users 0–3 ran, each on one agent, each reading its own row: user n gets row n, wherever it runs.
    expect([...seen.keys()].sort()).toEqual(['0', '1', '2', '3']);
    expect(Object.fromEntries([...seen].map(([u, rows]) => [u, [...rows]]))).toEqual({
      '0': ['ann Oslo r0'],
      '1': ['bob Lima r1'],
      '2': ['cyd Oslo r2'],
      '3': ['dan Lima r3'],
    });
    expect(s.agents!.map((a) => a.users)).toEqual([2, 2]);
  });

  it("WebSockets and event streams over two agents: the demo shop's counts, gaps out of the totals, sockets summed", async () => {
    const {nats} = await setup(2);
    const shop = await startShop({serviceScale: 0.2});
    cleanups.push(() => shop.close());
    const file = tmp.write(
      'live.ts',
      `import {scenario, user, task} from 'brink';
export default scenario({name: 'live', users: [
  user('echo', [task(async ({ws}) => {
    const sock = await ws.connect('/ws/echo', {name: 'WS /ws/echo'});
    for (let i = 0; i < 3; i++) { sock.send('m' + i); await sock.next({timeout: 2}); }
    sock.close();
  })]),
  user('feed', [task(async ({sse}) => {
    const feed = await sse.connect('/events', {name: 'SSE /events'});
    for (let i = 0; i < 4; i++) await feed.next({timeout: 2});
    feed.close();
  })]),
]});
`,
    );
    const json = join(tmp.dir, 'live.json');
    const run = await runCli([
      'run',
      file,
      '--host',
      shop.url,
      '-u',
      '4',
      '-t',
      '2s',
      '--headless',
      '--json',
      json,
      '--agents',
      nats.url,
      '--expect-agents',
      '2',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const s = summaryOf(json);
    const stats = shop.stats();
    const row = (key: string) => s.endpoints.find((e) => `${e.method} ${e.name}` === key);
    expect(s.totals.failures).toBe(0);
    for (const key of ['WS /ws/echo (connect)', 'WS /ws/echo', 'SSE /events']) {
      expect(row(key)?.requests, key).toBeGreaterThan(0);
      expect(row(key)?.requests, key).toBe(stats.requests[key]);
    }
    // Each stream closes just after an event: the shop may have written one more only to a stream the run's end cut.
    const gaps = row('SSE /events (gap)')!;
    expect(gaps.gaps).toBe(true);
    expect(gaps.requests).toBeLessThanOrEqual(stats.requests['SSE /events (gap)']);
    expect(gaps.requests).toBeGreaterThanOrEqual(stats.requests['SSE /events (gap)'] - 2);
    // Gaps are no requests: not in the totals, nor in an agent's count.
    const requests = s.endpoints.filter((e) => !e.gaps).reduce((n, e) => n + e.requests, 0);
    expect(s.totals.requests).toBe(requests);
    expect(s.agents!.reduce((n, a) => n + a.requests, 0)).toBe(requests);
    // Each handshake and stream the shop saw opened a socket, but for a handshake that ended after the run's stop: it
    // is counted on (connect), as the shop saw it, then shut at once, never held. One such a user at most (4 users).
    const streams = stats.requests['WS /ws/echo (connect)'] + stats.requests['SSE /events'];
    expect(s.connections?.sockets?.opened).toBeLessThanOrEqual(streams);
    expect(s.connections?.sockets?.opened).toBeGreaterThanOrEqual(streams - 4);
    // One socket a user at most, over both agents.
    expect(s.connections?.sockets?.peak).toBeGreaterThanOrEqual(2);
    expect(s.connections?.sockets?.peak).toBeLessThanOrEqual(4);
  }, 20_000);

  it('an agent killed mid-run is reported lost, its users are not reassigned, and the run completes', async () => {
    const {nats, agents} = await setup(2);
    const server = await target();
    const json = join(tmp.dir, 'lost.json');
    const run = startCli([
      `${server.url}/x`,
      '-c',
      '4',
      '-d',
      '5500ms',
      '--headless',
      '--json',
      json,
      '--agents',
      nats.url,
      '--expect-agents',
      '2',
    ]);
    while (server.total() < 100) await sleep(50);
    await sleep(1000);
    agents[1].kill('SIGKILL');
    const r = await run.result;
    expect(r.code, r.stderr).toBe(0);
    const s = summaryOf(json);
    const lost = s.agents!.find((a) => a.name === 'a2')!;
    const kept = s.agents!.find((a) => a.name === 'a1')!;
    expect(lost.lost).toBe(true);
    expect(lost.lostWhy).toBe('no report for 3 s');
    expect(kept.lost).toBe(false);
    expect(
      s.events.some((e) => e.kind === 'warning' && /^agent a2 lost \(no report for 3 s\): its 2 users are not reassigned/.test(e.text)),
    ).toBe(true);
    expect(kept.requests).toBeGreaterThan(lost.requests);
    // What the lost agent sent after its last snapshot is the only thing missing: never counted twice.
    expect(s.totals.requests).toBeLessThanOrEqual(server.total());
    expect(s.totals.requests).toBe(kept.requests + lost.requests);
    expect(s.series.at(-1)!.users).toBe(2);
    // Its 2 users are not coming back: the target is what can still run (the live view said "2 → 4 spawning").
    expect(s.series.at(-1)!.targetUsers).toBe(2);
    expect(s.series[0].targetUsers).toBe(4);
  });

  it('with --rebalance a lost agent users go to the others', async () => {
    const {nats, agents} = await setup(2);
    const server = await target();
    const json = join(tmp.dir, 'rebalance.json');
    const run = startCli([
      `${server.url}/x`,
      '-c',
      '4',
      '-d',
      '4s',
      '--headless',
      '--json',
      json,
      '--agents',
      nats.url,
      '--expect-agents',
      '2',
      '--rebalance',
    ]);
    while (server.total() < 100) await sleep(50);
    await sleep(1000);
    agents[0].kill('SIGTERM'); // a signal: it says it is leaving, and is lost at once
    const r = await run.result;
    expect(r.code, r.stderr).toBe(0);
    const s = summaryOf(json);
    expect(s.events.some((e) => /^agent a1 lost \(it left: .*\): its 2 users go to the 1 other agent \(--rebalance\)/.test(e.text))).toBe(
      true,
    );
    expect(s.agents!.find((a) => a.name === 'a2')!.users).toBe(4);
    expect(s.series.at(-1)!.users).toBe(4);
  });

  it('the controller killed: its agents stop the load within 5 s (dead-man switch)', async () => {
    const {nats, agents} = await setup(2, ['--workers', '1', '--once']);
    const server = await target();
    const run = startCli([`${server.url}/x`, '-c', '4', '-d', '60s', '--headless', '--agents', nats.url, '--expect-agents', '2']);
    await Promise.all(agents.map((a) => a.waitFor(/ready/)));
    while (server.total() < 100) await sleep(50);
    run.child.kill('SIGKILL');
    const killedAt = Date.now();
    // --once: each agent ends once its load has stopped, 1 (the run did not complete), having said why.
    expect(await Promise.all(agents.map((a) => a.exited))).toEqual([1, 1]);
    expect(Date.now() - killedAt, 'the agents stopped within 5 s').toBeLessThan(5000);
    for (const a of agents) expect(a.log()).toMatch(/the controller is silent for 3\.\d s: stopping the load \(dead-man switch\)/);
    const after = server.total();
    await sleep(500);
    expect(server.total(), 'no request after the agents stopped').toBe(after);
    await run.result.catch(() => {});
  });

  it('too few agents in time: exit 2, naming who answered', async () => {
    const {nats} = await setup(1);
    const server = await target();
    const r = await runCli([
      `${server.url}/x`,
      '-c',
      '2',
      '-d',
      '2s',
      '--headless',
      '--agents',
      nats.url,
      '--expect-agents',
      '2',
      '--agent-timeout',
      '1500ms',
    ]);
    expect(r.code).toBe(2);
    const e = printedError(r.stderr);
    expect(e.code).toBe('BRINK_E_AGENTS');
    expect(e.message).toMatch(/^1 of 2 agents joined within 1\.5 s at nats:\/\/127\.0\.0\.1:\d+; answered: a1 \(.+\): joined$/);
    expect(server.total()).toBe(0);
  });

  it('no NATS server there: exit 2, saying so', async () => {
    const r = await runCli([
      'http://127.0.0.1:9/x',
      '-c',
      '1',
      '-d',
      '1s',
      '--headless',
      '--agents',
      'nats://127.0.0.1:9',
      '--agent-timeout',
      '2s',
    ]);
    expect(r.code).toBe(2);
    expect(printedError(r.stderr)).toMatchObject({
      code: 'BRINK_E_AGENTS',
      message: expect.stringMatching(/^cannot connect to NATS at nats:\/\/127\.0\.0\.1:9/),
    });
  });
});
