#!/usr/bin/env node
// Soak and scale checks for brink's engine (issue 7), run on demand: `npm run soak` (not part of `npm test`).
//
//   soak   a scenario (cookies, JSON, some 404/500s, think time) at moderate load for SOAK_MINUTES
//          (default 1; the issue's figure is 30): RSS, heap and throughput sampled every SOAK_SAMPLE_S
//          seconds; prints RSS growth after warm-up (total and per minute) and how steady throughput was,
//          and checks brink's request count against the target's own.
//   scale  SCALE_USERS (default 10000) users with think time in one process for SCALE_SECONDS (default
//          30): RSS per user, event-loop utilisation of the main thread and of the workers, throughput.
//
// Env: SOAK_ONLY=soak|scale, SOAK_MINUTES, SOAK_USERS (default 200), SOAK_SAMPLE_S (default 10),
// SCALE_USERS, SCALE_SECONDS, SOAK_WORKERS (default: one per core), SOAK_NO_BUILD=1 (use dist/ as is),
// SOAK_OUT=<file> (also write the figures as JSON).
// The target runs in a child process, so brink's RSS is brink's alone. Loopback only.
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const env = (name, dflt) => (process.env[name] === undefined || process.env[name] === '' ? dflt : Number(process.env[name]));
const ONLY = process.env.SOAK_ONLY ?? 'soak,scale';
const SOAK_MINUTES = env('SOAK_MINUTES', 1);
const SOAK_USERS = env('SOAK_USERS', 200);
const SAMPLE_S = env('SOAK_SAMPLE_S', 10);
const SCALE_USERS = env('SCALE_USERS', 10_000);
const SCALE_SECONDS = env('SCALE_SECONDS', 30);
const WORKERS = process.env.SOAK_WORKERS ? Number(process.env.SOAK_WORKERS) : undefined;
const MB = 1024 * 1024;
const log = (s) => process.stdout.write(`${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const r1 = (x, d = 1) => Number(x.toFixed(d));

if (process.env.SOAK_NO_BUILD !== '1') {
  log('building brink (npm run build)…');
  const b = spawnSync('npm', ['run', 'build'], {cwd: ROOT, encoding: 'utf8'});
  if (b.status !== 0) log(`  build failed, using dist/ as it is: ${(b.stdout + b.stderr).trim().split('\n').slice(-3).join(' | ')}`);
}
const {Engine} = await import(pathToFileURL(join(ROOT, 'dist/engine/engine.js')).href);
const {loadScenario} = await import(pathToFileURL(join(ROOT, 'dist/scenario/load.js')).href);

// ------------------------------------------------------------------------------------------- target
const TARGET = `
const http = require('node:http');
let count = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/__count') { res.end(String(count)); return; }
  count++;
  const [path] = req.url.split('?');
  const delay = path === '/slow' ? 5 + Math.random() * 20 : 0;
  setTimeout(() => {
    if (path === '/login') {
      res.writeHead(200, {'set-cookie': 'sid=' + Math.random().toString(36).slice(2) + '; Path=/; HttpOnly', 'content-type': 'application/json'});
      res.end('{"ok":true}');
    } else if (path.startsWith('/items/')) {
      res.writeHead(200, {'content-type': 'application/json'});
      res.end(JSON.stringify({id: path.slice(7), name: 'item', tags: ['a', 'b', 'c'], text: 'x'.repeat(2000)}));
    } else if (path === '/flaky') {
      res.writeHead(Math.random() < 0.05 ? 500 : 200);
      res.end('flaky');
    } else if (path === '/missing') {
      res.writeHead(404);
      res.end('no');
    } else {
      res.end('ok');
    }
  }, delay);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

async function startTarget() {
  const child = spawn(process.execPath, ['-e', TARGET], {stdio: ['ignore', 'pipe', 'inherit']});
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', (code) => reject(new Error(`target exited (${code})`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    count: async () => Number(await (await fetch(`${url}/__count`)).text()),
    stop: () => child.kill(),
  };
}

const SCENARIO = `import {scenario, user, task, between} from 'brink';
export default scenario({users: [user('shopper', {wait: between(WAIT_MIN, WAIT_MAX), onStart: async ({http}) => { await http.post('/login'); }}, [
  task(4, 'browse', async ({http, randomInt}) => {
    const res = await http.get('/items/' + randomInt(1, 5000), {name: '/items/:id'});
    res.check(res.json().tags.length === 3, 'bad item');
  }),
  task(2, 'slow', async ({http}) => { await http.get('/slow'); }),
  task(1, 'flaky', async ({http}) => { await http.get('/flaky'); }),
  task(1, 'missing', async ({http}) => { await http.get('/missing', {expect: 404}); }),
])]});
`;

async function scenarioWith(wait) {
  const dir = mkdtempSync(join(tmpdir(), 'brink-soak-'));
  const file = join(dir, 'soak.scenario.ts');
  writeFileSync(file, SCENARIO.replace('WAIT_MIN', String(wait[0])).replace('WAIT_MAX', String(wait[1])));
  const loaded = await loadScenario(file);
  return {
    workload: {kind: 'scenario', bundleUrl: loaded.bundleUrl, scenarioFile: loaded.file},
    cleanup: () => {
      loaded.dispose();
      rmSync(dir, {recursive: true, force: true});
    },
  };
}

/** Least-squares slope of ys over xs. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const results = {};

/** Stops the run, lets the last responses land, and returns what the target served. */
async function endRun(engine, sc, target) {
  await engine.stop();
  sc.cleanup();
  await sleep(200);
  const served = await target.count();
  target.stop();
  return served;
}

// --------------------------------------------------------------------------------------------- soak
async function soak() {
  const target = await startTarget();
  const sc = await scenarioWith([0.05, 0.15]);
  const engine = new Engine({workload: sc.workload, host: target.url, workers: WORKERS, intervalMs: 1000});
  await engine.start();
  const seconds = SOAK_MINUTES * 60;
  log(`\nsoak: ${SOAK_USERS} users (think 0.05–0.15 s), ${SOAK_MINUTES} min, sampling every ${SAMPLE_S} s`);
  log('   t(s)   RSS(MB)  heap main/workers(MB)   rps(window)  fail%   elu main/workers');
  const samples = [];
  let lastRequests = 0;
  let lastAt = performance.now();
  let elu = performance.eventLoopUtilization();
  const t0 = performance.now();
  engine.setUsers(SOAK_USERS, Math.max(50, SOAK_USERS / 5));
  let served;
  try {
    for (let t = SAMPLE_S; t <= seconds; t += SAMPLE_S) {
      await sleep(t0 + t * 1000 - performance.now());
      const state = engine.state;
      const now = performance.now();
      const rps = (state.totals.requests - lastRequests) / ((now - lastAt) / 1000);
      const failWindow = state.series.slice(-SAMPLE_S).reduce((a, p) => ({r: a.r + p.requests, f: a.f + p.failures}), {r: 0, f: 0});
      lastRequests = state.totals.requests;
      lastAt = now;
      const mainElu = performance.eventLoopUtilization(elu).utilization;
      elu = performance.eventLoopUtilization();
      const probes = await engine.probe();
      const s = {
        t,
        rssMb: process.memoryUsage().rss / MB,
        mainHeapMb: process.memoryUsage().heapUsed / MB,
        workerHeapMb: probes.reduce((a, p) => a + p.heapUsed, 0) / MB,
        rps,
        failPct: failWindow.r > 0 ? (failWindow.f / failWindow.r) * 100 : 0,
        mainElu,
        workerElu: state.health.maxElu,
        users: state.users.active,
      };
      samples.push(s);
      log(
        `${String(t).padStart(7)} ${s.rssMb.toFixed(1).padStart(9)} ${`${s.mainHeapMb.toFixed(1)}/${s.workerHeapMb.toFixed(1)}`.padStart(22)} ${s.rps.toFixed(0).padStart(13)} ${s.failPct.toFixed(2).padStart(6)} ${`${s.mainElu.toFixed(2)}/${s.workerElu.toFixed(2)}`.padStart(18)}`,
      );
    }
  } finally {
    served = await endRun(engine, sc, target);
  }
  const final = engine.state;
  // Warm-up: the ramp, JIT, the allocator settling. Growth is measured over the rest.
  const warm = samples.filter((s) => s.t >= Math.min(60, seconds * 0.25));
  const steady = warm.length >= 2 ? warm : samples;
  const rpsValues = steady.map((s) => s.rps);
  const mean = rpsValues.reduce((a, b) => a + b, 0) / rpsValues.length;
  const sd = Math.sqrt(rpsValues.reduce((a, b) => a + (b - mean) ** 2, 0) / rpsValues.length);
  const minutes = (steady.at(-1).t - steady[0].t) / 60;
  const out = {
    users: SOAK_USERS,
    minutes: SOAK_MINUTES,
    requests: final.totals.requests,
    served,
    failures: final.totals.failuresByKind,
    rssMb: {
      first: r1(samples[0].rssMb),
      warm: r1(steady[0].rssMb),
      last: r1(steady.at(-1).rssMb),
      max: r1(Math.max(...samples.map((s) => s.rssMb))),
    },
    rssGrowthMb: r1(steady.at(-1).rssMb - steady[0].rssMb),
    rssSlopeMbPerMin: r1(
      slope(
        steady.map((s) => s.t / 60),
        steady.map((s) => s.rssMb),
      ),
      2,
    ),
    workerHeapSlopeMbPerMin: r1(
      slope(
        steady.map((s) => s.t / 60),
        steady.map((s) => s.workerHeapMb),
      ),
      2,
    ),
    rps: {mean: r1(mean, 0), min: r1(Math.min(...rpsValues), 0), max: r1(Math.max(...rpsValues), 0), cvPct: r1((sd / mean) * 100)},
    p99Ms: final.totals.latencyMs.p99,
    samples,
  };
  results.soak = out;
  log(
    `soak: ${out.requests} requests counted by brink, ${out.served} served by the target (${out.requests === out.served ? 'equal' : `differ by ${out.served - out.requests}`}); failures ${JSON.stringify(out.failures)}`,
  );
  log(
    `soak: RSS ${out.rssMb.warm} MB after warm-up → ${out.rssMb.last} MB at the end (${out.rssGrowthMb >= 0 ? '+' : ''}${out.rssGrowthMb} MB over ${r1(minutes)} min, slope ${out.rssSlopeMbPerMin} MB/min; peak ${out.rssMb.max} MB); workers' heap slope ${out.workerHeapSlopeMbPerMin} MB/min`,
  );
  log(
    `soak: throughput per ${SAMPLE_S}-s window ${out.rps.mean} rps mean, ${out.rps.min}–${out.rps.max}, CV ${out.rps.cvPct}%; p99 ${out.p99Ms} ms`,
  );
}

// -------------------------------------------------------------------------------------------- scale
async function scale() {
  const target = await startTarget();
  const sc = await scenarioWith([5, 10]);
  const engine = new Engine({workload: sc.workload, host: target.url, workers: WORKERS, intervalMs: 1000});
  const rssBefore = process.memoryUsage().rss / MB;
  await engine.start();
  const rssStarted = process.memoryUsage().rss / MB;
  log(`\nscale: ${SCALE_USERS} users (think 5–10 s) for ${SCALE_SECONDS} s, ramping at ${SCALE_USERS / 10}/s`);
  const t0 = performance.now();
  let rampedAt;
  let elu = performance.eventLoopUtilization();
  const rows = [];
  engine.onState((s) => {
    if (rampedAt === undefined && s.users.active >= SCALE_USERS) rampedAt = (performance.now() - t0) / 1000;
  });
  engine.setUsers(SCALE_USERS, SCALE_USERS / 10);
  let served;
  try {
    for (let t = 5; t <= SCALE_SECONDS; t += 5) {
      await sleep(t0 + t * 1000 - performance.now());
      const s = engine.state;
      const mainElu = performance.eventLoopUtilization(elu).utilization;
      elu = performance.eventLoopUtilization();
      const workerHeapMb = (await engine.probe()).reduce((a, p) => a + p.heapUsed, 0) / MB;
      const row = {
        t,
        users: s.users.active,
        rssMb: process.memoryUsage().rss / MB,
        workerHeapMb,
        rps: s.series.slice(-5).reduce((a, p) => a + p.rps, 0) / Math.min(5, s.series.length || 1),
        mainElu,
        workerElu: s.health.maxElu,
        p99: s.now.p99,
      };
      rows.push(row);
      log(
        `  t=${String(t).padStart(3)} s  users ${String(row.users).padStart(6)}  RSS ${row.rssMb.toFixed(0).padStart(5)} MB (workers' heap ${row.workerHeapMb.toFixed(0).padStart(4)} MB)  ${row.rps.toFixed(0).padStart(6)} rps  p99 ${row.p99.toFixed(1).padStart(6)} ms  elu main ${row.mainElu.toFixed(2)} workers ${row.workerElu.toFixed(2)}`,
      );
    }
  } finally {
    served = await endRun(engine, sc, target);
  }
  const full = rows.filter((r) => r.users >= SCALE_USERS);
  const final = engine.state;
  const peak = Math.max(...rows.map((r) => r.rssMb));
  const out = {
    users: SCALE_USERS,
    seconds: SCALE_SECONDS,
    rampedInS: rampedAt === undefined ? null : r1(rampedAt),
    rssMb: {before: r1(rssBefore), workersStarted: r1(rssStarted), peak: r1(peak)},
    kbPerUser: r1(((peak - rssStarted) * 1024) / SCALE_USERS),
    rpsAtFullLoad: full.length > 0 ? r1(full.reduce((a, r) => a + r.rps, 0) / full.length, 0) : null,
    maxMainElu: r1(Math.max(...rows.map((r) => r.mainElu)), 2),
    maxWorkerElu: r1(Math.max(...rows.map((r) => r.workerElu)), 2),
    p99Ms: final.totals.latencyMs.p99,
    requests: final.totals.requests,
    served,
    startFailures: final.startFailures,
    failures: final.totals.failuresByKind,
  };
  results.scale = out;
  log(
    `scale: ${out.users} users reached in ${out.rampedInS} s; RSS ${out.rssMb.workersStarted} MB with workers started → peak ${out.rssMb.peak} MB (${out.kbPerUser} KB a user); ${out.rpsAtFullLoad} rps at full load; ELU max main ${out.maxMainElu}, workers ${out.maxWorkerElu}; p99 ${out.p99Ms} ms`,
  );
  log(
    `scale: ${out.requests} requests counted, ${out.served} served; start failures ${out.startFailures}; failures ${JSON.stringify(out.failures)}`,
  );
}

if (ONLY.includes('soak')) await soak();
if (ONLY.includes('scale')) await scale();
if (process.env.SOAK_OUT) writeFileSync(process.env.SOAK_OUT, `${JSON.stringify(results, null, 2)}\n`);
