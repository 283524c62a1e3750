// The generators: brink (quick mode, scenarios), autocannon (devDependency, run through its bin in its
// own process) and wrk (when installed). Each returns {cmd, args, parse(stdout, files)} → a common shape:
// {requests, seconds, rps, errors, latency: {p50, p90, p99} ms, extra}.
import {readFileSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {median, which} from './proc.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BRINK = join(ROOT, 'bin/brink.js');
let seq = 0;
const tmpJson = () => join(tmpdir(), `brink-bench-${process.pid}-${++seq}.json`);

function brinkResult(jsonFile) {
  const j = JSON.parse(readFileSync(jsonFile, 'utf8'));
  rmSync(jsonFile, {force: true});
  const t = j.totals;
  return {
    requests: t.requests,
    seconds: j.durationMs / 1000,
    rps: t.rps,
    errors: t.failures,
    latency: {p50: t.latencyMs.p50, p90: t.latencyMs.p90, p99: t.latencyMs.p99, max: t.latencyMs.max},
    extra: {
      workers: j.generator?.workers,
      maxElu: j.generator?.maxEventLoopUtilisation,
      saturatedIntervals: j.generator?.saturatedIntervals,
      dropped: t.dropped,
      failuresByKind: t.failuresByKind,
      peakUsers: j.peakUsers,
      endpoints: j.endpoints?.map((e) => `${e.method} ${e.name}`),
      // The p99 of each whole interval but the first (connections opening) and the last (partial): their median.
      steadyIntervalP99: j.series?.length > 2 ? median(j.series.slice(1, -1).map((p) => p.p99)) : undefined,
      firstIntervalP99: j.series?.[0]?.p99,
      // Opening connections is timed apart from request latency (as in wrk and k6): reported here, so it is not hidden.
      connections: j.connections && {
        opened: j.connections.opened,
        p50: j.connections.connectMs.p50,
        p99: j.connections.connectMs.p99,
        max: j.connections.connectMs.max,
      },
    },
  };
}

/** brink quick mode: `brink URL -c N -d Ss --headless --json F [--workers W] [--rate R]`. `bin`: another build (--before). */
export function brinkQuick({url, connections, seconds, workers, rate, headless = true, extraArgs = [], bin = BRINK}) {
  const json = tmpJson();
  const args = [bin, url, '-d', `${seconds}s`, '--json', json, ...extraArgs];
  if (rate) args.push('--rate', String(rate));
  else args.push('-c', String(connections));
  if (headless) args.push('--headless');
  if (workers) args.push('--workers', String(workers));
  return {tool: workers ? `brink-w${workers}` : 'brink', cmd: process.execPath, args, parse: () => brinkResult(json)};
}

/** brink run: a scenario file against `host`. `bin`: another build (--before). */
export function brinkRun({scenario, host, users, spawnRate, seconds, workers, bin = BRINK}) {
  const json = tmpJson();
  const args = [
    bin,
    'run',
    scenario,
    '--host',
    host,
    '-u',
    String(users),
    '-r',
    String(spawnRate),
    '-t',
    `${seconds}s`,
    '--headless',
    '--json',
    json,
  ];
  if (workers) args.push('--workers', String(workers));
  return {tool: workers ? `brink-w${workers}` : 'brink', cmd: process.execPath, args, parse: () => brinkResult(json)};
}

const require = createRequire(import.meta.url);
export function autocannonBin() {
  try {
    return join(require.resolve('autocannon/package.json').replace(/package\.json$/, ''), 'autocannon.js');
  } catch {
    return undefined;
  }
}

/** autocannon in its own process (its default: one process, no workers). */
export function autocannon({url, connections, seconds, rate}) {
  const args = [autocannonBin(), '-c', String(connections), '-d', String(seconds), '-j'];
  if (rate) args.push('-R', String(rate));
  args.push(url);
  return {
    tool: 'autocannon',
    cmd: process.execPath,
    args,
    parse: (stdout) => {
      const j = JSON.parse(stdout.slice(stdout.indexOf('{')));
      const l = j.latency;
      return {
        requests: j.requests.total,
        seconds: j.duration,
        rps: j.requests.total / j.duration,
        errors: j.errors + j.timeouts + j.non2xx,
        latency: {p50: l.p50, p90: l.p90, p99: l.p99, max: l.max},
        extra: {timeouts: j.timeouts, non2xx: j.non2xx},
      };
    },
  };
}

export const hasWrk = () => which('wrk') !== undefined;

/** wrk with one thread (a single event loop, like the others' one worker). */
export function wrk({url, connections, seconds, threads = 1}) {
  return {
    tool: 'wrk',
    cmd: which('wrk'),
    args: [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', url],
    parse: (stdout) => {
      const m = /(\d+) requests in ([\d.]+)(ms|s|m)/.exec(stdout);
      if (!m) throw new Error(`wrk output not understood: ${stdout.slice(0, 300)}`);
      const seconds = Number(m[2]) * (m[3] === 'ms' ? 0.001 : m[3] === 'm' ? 60 : 1);
      const lat = {};
      for (const p of [50, 90, 99]) {
        const lm = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(stdout);
        lat[`p${p}`] = lm ? Number(lm[1]) * {us: 0.001, ms: 1, s: 1000, m: 60000}[lm[2]] : NaN;
      }
      const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
      const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
      return {
        requests: Number(m[1]),
        seconds,
        rps: Number(m[1]) / seconds,
        errors: (errs ? errs.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + (non2xx ? Number(non2xx[1]) : 0),
        latency: lat,
        extra: {timeouts: errs ? Number(errs[4]) : 0},
      };
    },
  };
}
