// The Prometheus endpoint, scraped for real during a run against a loopback server.
import {spawnSync} from 'node:child_process';
import {afterEach, describe, expect, it} from 'vitest';
import {Engine} from '../../source/engine/engine.js';
import {isLoopback, parseMetricsAddress, startMetricsServer, type MetricsServer} from '../../source/report/prometheus.js';
import {countingServer, type CountingServer} from '../cli/counting-server.js';

let server: CountingServer | undefined;
let metrics: MetricsServer | undefined;
afterEach(async () => {
  await metrics?.close();
  await server?.close();
  metrics = server = undefined;
});

/** The value of one sample line, e.g. `brink_requests_total{method="GET",endpoint="/a"} 12`. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('Prometheus metrics', () => {
  it('per-endpoint counters match what the server saw; failures by kind; latency and users gauges', async () => {
    server = await countingServer((req, res) => {
      if (req.url === '/bad') {
        res.statusCode = 503;
        res.end();
        return true;
      }
      return false;
    });
    const engine = new Engine({
      workload: {kind: 'quick', method: 'GET', path: '/bad', headers: {}},
      host: server.url,
      workers: 1,
      intervalMs: 300,
    });
    metrics = await startMetricsServer({host: '127.0.0.1', port: 0}, engine);
    await engine.start();
    engine.onState((s) => metrics!.update(s));
    engine.setUsers(3);
    await new Promise((r) => setTimeout(r, 1200));
    const during = await (await fetch(metrics.url)).text();
    expect(during).toMatch(/^brink_users 3$/m);
    const final = await engine.stop();
    metrics.update(final);
    const text = await (await fetch(metrics.url)).text();
    const seen = server.counts.get('GET /bad')!;
    expect(sample(text, 'brink_requests_total', 'status="503"')).toBe(seen);
    expect(text).not.toMatch(/^brink_requests_total\{.*status="none"/m);
    expect(sample(text, 'brink_failures_total', 'kind="http_503"')).toBe(seen);
    expect(text).toContain('# TYPE brink_requests_total counter');
    // Latency is a histogram in seconds: cumulative buckets ending at +Inf = _count = the requests, a _sum.
    expect(text).toContain('# TYPE brink_request_duration_seconds histogram');
    const buckets = text
      .split('\n')
      .filter((l) => l.startsWith('brink_request_duration_seconds_bucket{'))
      .map((l) => ({le: /le="([^"]+)"/.exec(l)![1]!, n: Number(l.split(' ').at(-1))}));
    expect(buckets.at(-1)).toEqual({le: '+Inf', n: seen});
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.n).toBeGreaterThanOrEqual(buckets[i - 1]!.n);
    expect(sample(text, 'brink_request_duration_seconds_count', 'endpoint="/bad"')).toBe(seen);
    const sum = sample(text, 'brink_request_duration_seconds_sum', 'endpoint="/bad"')!;
    // The sum over the count is the mean brink reports, in seconds.
    expect(sum / seen).toBeCloseTo(final.endpoints[0]!.latencyMs.mean / 1000, 4);
    expect(text).not.toMatch(/_ms[{ ]/);
    // 3 users, one kept-alive connection each.
    expect(text).toMatch(/^brink_connections_opened_total 3$/m);
    expect(final.connections.opened).toBe(3);
  }, 20_000);

  it('labels carry no secret: a JWT in the path is hidden before the scrape sees it, the counts stay', async () => {
    server = await countingServer(() => false);
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLXNlY3JldA';
    const engine = new Engine({
      workload: {kind: 'quick', method: 'GET', path: `/verify/${jwt}`, headers: {}},
      host: server.url,
      workers: 1,
      intervalMs: 300,
    });
    metrics = await startMetricsServer({host: '127.0.0.1', port: 0}, engine);
    await engine.start();
    engine.onState((s) => metrics!.update(s));
    engine.setUsers(2);
    await new Promise((r) => setTimeout(r, 900));
    const during = await (await fetch(metrics.url)).text();
    const final = await engine.stop();
    metrics.update(final);
    const text = await (await fetch(metrics.url)).text();
    for (const scrape of [during, text]) {
      expect(scrape).not.toContain(jwt);
      expect(scrape).not.toContain('eyJ');
    }
    expect(sample(text, 'brink_requests_total', 'endpoint="/verify/***"')).toBe(server.counts.get(`GET /verify/${jwt}`));
    expect(server.counts.get(`GET /verify/${jwt}`)).toBeGreaterThan(0);
  }, 20_000);

  it('a scrape passes promtool check metrics (names, units, types, histogram shape)', async () => {
    server = await countingServer((req, res) => {
      if (req.url === '/slow') {
        setTimeout(() => res.end('ok'), 30);
        return true;
      }
      return false;
    });
    const engine = new Engine({
      workload: {kind: 'quick', method: 'GET', path: '/slow', headers: {}},
      host: server.url,
      workers: 1,
      intervalMs: 300,
    });
    metrics = await startMetricsServer({host: '127.0.0.1', port: 0}, engine);
    await engine.start();
    engine.onState((s) => metrics!.update(s));
    engine.setUsers(2);
    await new Promise((r) => setTimeout(r, 900));
    metrics.update(await engine.stop());
    const text = await (await fetch(metrics.url)).text();
    // Every answer took 30 ms or more: none is in a bucket below it, all are in +Inf.
    expect(sample(text, 'brink_request_duration_seconds_bucket', 'le="0.025"')).toBe(0);
    expect(sample(text, 'brink_request_duration_seconds_bucket', 'le="+Inf"')).toBe(server.counts.get('GET /slow'));
    const check = spawnSync('promtool', ['check', 'metrics'], {input: text, encoding: 'utf8'});
    if (check.error) throw new Error(`promtool not found (apt-get install prometheus): ${check.error.message}`);
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  }, 20_000);

  it('binds to loopback unless told otherwise', () => {
    expect(parseMetricsAddress('9464')).toEqual({host: '127.0.0.1', port: 9464});
    expect(parseMetricsAddress('[::1]:9464')).toEqual({host: '::1', port: 9464});
    expect(parseMetricsAddress('0.0.0.0:9000')).toEqual({host: '0.0.0.0', port: 9000});
    expect(parseMetricsAddress('nope')).toBeUndefined();
    expect(parseMetricsAddress('1:99999')).toBeUndefined();
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
  });
});
