// The `agents` case (issue 22): brink on many load boxes, over a real nats-server on loopback.
//  - scaling: req/s of one box alone (no agents), one agent, and two agents on this one box, each with one
//    worker, against the same target. On one 2-core box two agents share the cores with the target, so this
//    measures what the split costs and that it adds up, not what two machines would give.
//  - percentiles: two agents against the delay server (10–100 ms) beside one box: p50/p99 must agree within noise.
//  - merging: the path brink's figures take (each worker's HDR encoded, merged by its agent, merged again by
//    the controller) against one HDR of every sample: the error must be 0, where averaging the agents'
//    percentiles (what a tool merging summaries does) is off.
import {spawn} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {median, which} from './proc.mjs';
import {ROOT} from './tools.mjs';

const BRINK = join(ROOT, 'bin/brink.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function natsBin() {
  return ['/usr/sbin/nats-server', '/usr/local/bin/nats-server'].find((p) => which(p)) ?? which('nats-server');
}

function startNats(bin) {
  const child = spawn(bin, ['-a', '127.0.0.1', '-p', '-1'], {stdio: ['ignore', 'pipe', 'pipe']});
  let log = '';
  return new Promise((resolve, reject) => {
    const read = (d) => {
      log += d;
      const m = /Listening for client connections on \S+:(\d+)/.exec(log);
      if (m) resolve({url: `nats://127.0.0.1:${m[1]}`, close: () => child.kill('SIGTERM')});
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`nats-server exited ${code}: ${log}`)));
  });
}

function startAgents(url, n) {
  return Promise.all(
    Array.from({length: n}, (_, i) => {
      const child = spawn(process.execPath, [BRINK, 'agent', '--nats', url, '--name', `a${i + 1}`, '--workers', '1', '--once'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let log = '';
      return new Promise((resolve, reject) => {
        child.stderr.on('data', (d) => {
          log += d;
          if (/waiting for a run/.test(log)) resolve(child);
        });
        child.once('exit', (code) => reject(new Error(`agent exited ${code}: ${log}`)));
      });
    }),
  );
}

let seq = 0;
/** One brink run (quick mode, -c users); with `agents`, over that many agents. Returns its summary. */
async function brinkRun(url, {users, seconds, nats, agents, workers = 1}) {
  const json = join(tmpdir(), `brink-bench-agents-${process.pid}-${++seq}.json`);
  const args = [BRINK, `${url}/`, '-c', String(users), '-d', `${seconds}s`, '--headless', '--json', json, '--workers', String(workers)];
  let started = [];
  if (agents) {
    started = await startAgents(nats.url, agents);
    args.push('--agents', nats.url, '--expect-agents', String(agents));
  }
  const child = spawn(process.execPath, args, {stdio: ['ignore', 'ignore', 'pipe'], env: {...process.env, NO_COLOR: '1'}});
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise((r) => child.once('exit', r));
  await Promise.all(started.map((a) => (a.exitCode !== null ? undefined : new Promise((r) => a.once('exit', r)))));
  if (code !== 0) throw new Error(`brink exited ${code}: ${err.trim().split('\n').slice(-2).join(' | ')}`);
  const summary = JSON.parse(readFileSync(json, 'utf8'));
  rmSync(json, {force: true});
  return summary;
}

/** The merge path's error against one HDR of all samples, and averaging percentiles' error. */
async function mergeExactness() {
  const {createHistogram, recordUs, encode, addEncoded, latencyMs} = await import(
    pathToFileURL(join(ROOT, 'dist/kernel/histogram.js')).href
  );
  const {mergeSnapshots, mergeHealth} = await import(pathToFileURL(join(ROOT, 'dist/engine/agents/merge.js')).href);
  let s = 12345;
  const uniform = () => (s = (s * 48271) % 2147483647) / 2147483647;
  const lognormal = (mu, sigma) => Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(uniform() || 1e-9)) * Math.cos(2 * Math.PI * uniform()));
  const shapes = {
    'lognormal 5 ms': () => lognormal(Math.log(5000), 0.6),
    'bimodal 2 ms / 300 ms (2 %)': () => (uniform() < 0.02 ? 300_000 + uniform() * 50_000 : 2000 + uniform() * 1000),
    'one slow agent (10× latency)': null,
  };
  const rows = [];
  for (const [shape, draw] of Object.entries(shapes)) {
    const agents = 4;
    const workers = 3;
    const parts = Array.from({length: agents}, (_, a) =>
      Array.from({length: workers}, () =>
        Array.from({length: 20_000}, () => (draw ? draw() : lognormal(Math.log(a === 0 ? 20_000 : 2000), 0.4))),
      ),
    );
    const snap = (samples, w) => {
      const h = createHistogram();
      for (const us of samples) recordUs(h, us);
      const health = {
        workerId: w,
        elu: 0,
        users: 1,
        busyUsers: 1,
        stoppingUsers: 0,
        dropped: 0,
        inFlight: 0,
        startFailures: 0,
        endpointOverflow: false,
      };
      return {
        seq: 1,
        from: 0,
        at: 1000,
        health,
        endpoints: [
          {
            key: 'GET /',
            method: 'GET',
            name: '/',
            requests: samples.length,
            failures: 0,
            histogram: encode(h),
            statusCodes: {},
            failuresByKind: {},
            firstFailureAt: {},
            errors: [],
          },
        ],
      };
    };
    // Each agent merges its workers' snapshots; the controller adds the agents' histograms (as the aggregator does).
    const controller = createHistogram();
    const perAgent = [];
    parts.forEach((workersSamples, a) => {
      const merged = mergeSnapshots(
        workersSamples.map((samples, w) => snap(samples, w)),
        {seq: 1, health: mergeHealth(a, [], []), shift: 0},
      );
      addEncoded(controller, merged.endpoints[0].histogram);
      const own = createHistogram();
      addEncoded(own, merged.endpoints[0].histogram);
      perAgent.push(latencyMs(own));
    });
    // The truth: one histogram of every sample, sent once (a histogram travels encoded: its max is kept to a bucket).
    const all = createHistogram();
    for (const us of parts.flat(2)) recordUs(all, us);
    const truth = createHistogram();
    addEncoded(truth, encode(all));
    const t = latencyMs(truth);
    const m = latencyMs(controller);
    const keys = ['p50', 'p90', 'p99', 'p999'];
    rows.push({
      shape,
      samples: parts.flat(2).length,
      agents,
      workersPerAgent: workers,
      mergedErrorMs: Object.fromEntries(keys.map((k) => [k, Math.round((m[k] - t[k]) * 1000) / 1000])),
      averagedErrorMs: Object.fromEntries(
        keys.map((k) => [k, Math.round((perAgent.reduce((n, p) => n + p[k], 0) / agents - t[k]) * 1000) / 1000]),
      ),
      truthMs: Object.fromEntries(keys.map((k) => [k, t[k]])),
    });
  }
  return rows;
}

/** Runs the case; `target` a plain (fast) target, `delay` the delay server. Returns the summary's `agents` entry. */
export async function runAgentsCase({target, delay, seconds, rounds, note, log}) {
  const bin = natsBin();
  const merge = await mergeExactness();
  log(`agents · merging: the controller's HDR against one HDR of every sample`);
  for (const r of merge)
    log(
      `  ${r.shape.padEnd(30)} merged error p50/p90/p99/p99.9: ${Object.values(r.mergedErrorMs).join(' / ')} ms · averaging the agents' percentiles instead: ${Object.values(r.averagedErrorMs).join(' / ')} ms`,
    );
  if (!bin) {
    note('nats-server is not installed (Debian: apt-get install nats-server): the agents scaling runs are skipped');
    return {merge};
  }
  const nats = await startNats(bin);
  try {
    const users = 50;
    const rows = {alone: [], oneAgent: [], twoAgents: []};
    log(`agents · scaling against ${target.name} · ${users} connections · ${seconds} s runs · ${rounds} round(s) · one worker each`);
    for (let round = 0; round < rounds; round++) {
      for (const [key, agents] of [
        ['alone', 0],
        ['oneAgent', 1],
        ['twoAgents', 2],
      ]) {
        const before = await target.count();
        const s = await brinkRun(target.url, {users, seconds, nats, agents});
        // nginx's count (stub_status) includes the request that reads it.
        const counted = (await target.count()) - before - (target.kind === 'nginx' ? 1 : 0);
        rows[key].push({rps: s.totals.rps, requests: s.totals.requests, targetCounted: counted, agents: s.agents});
        log(
          `  round ${round + 1} ${key.padEnd(10)} ${Math.round(s.totals.rps)} req/s · ${s.totals.requests} requests, target counted ${counted}`,
        );
        await sleep(300);
      }
    }
    const med = (list) => Math.round(median(list.map((r) => r.rps)));
    const scaling = {
      aloneRps: med(rows.alone),
      oneAgentRps: med(rows.oneAgent),
      twoAgentsRps: med(rows.twoAgents),
    };
    scaling.twoVsOne = Math.round((scaling.twoAgentsRps / scaling.oneAgentRps) * 100) / 100;
    scaling.oneAgentVsAlone = Math.round((scaling.oneAgentRps / scaling.aloneRps) * 100) / 100;
    scaling.countsMatch = [...rows.oneAgent, ...rows.twoAgents].every((r) => r.requests === r.targetCounted);
    log(
      `  medians: alone ${scaling.aloneRps} · 1 agent ${scaling.oneAgentRps} · 2 agents ${scaling.twoAgentsRps} req/s (2 agents / 1: ${scaling.twoVsOne}×) · counts equal the target's: ${scaling.countsMatch}`,
    );

    let percentiles;
    if (delay) {
      log(`agents · percentiles against ${delay.name} (10–100 ms) · 100 connections · ${seconds} s: one box (2 workers) vs two agents`);
      const one = await brinkRun(delay.url, {users: 100, seconds, nats, workers: 2});
      const two = await brinkRun(delay.url, {users: 100, seconds, nats, agents: 2});
      const pick = (s) => ({p50: s.totals.latencyMs.p50, p90: s.totals.latencyMs.p90, p99: s.totals.latencyMs.p99});
      percentiles = {oneBox: pick(one), twoAgents: pick(two)};
      log(
        `  p50/p90/p99 one box ${Object.values(percentiles.oneBox).join(' / ')} ms · two agents ${Object.values(percentiles.twoAgents).join(' / ')} ms`,
      );
    }
    return {merge, scaling, runs: rows, percentiles};
  } finally {
    nats.close();
  }
}
