// A Prometheus exposition endpoint during a run (`--metrics 127.0.0.1:9464`), so Grafana can put brink's
// load next to the app's CPU, database and queue graphs. prom-client writes the format; brink feeds it
// once per interval from RunState: counters advance by each interval's delta, gauges take the latest figures;
// latency histograms are read from the engine's HDR histograms when scraped.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import type {RunState} from '../engine/run-state.js';
import type {BoundCounts} from '../kernel/histogram.js';
import type {Metric} from 'prom-client';

export interface MetricsServer {
  readonly url: string;
  /** Folds a new state into the metrics. */
  update(state: RunState): void;
  close(): Promise<void>;
}

export interface MetricsAddress {
  readonly host: string;
  readonly port: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** `9464`, `127.0.0.1:9464`, `[::1]:9464`, `0.0.0.0:9464` (only when asked: the default host is loopback). */
export function parseMetricsAddress(text: string): MetricsAddress | undefined {
  const m = /^(?:\[([^\]]+)\]:|([^:]+):)?(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return {host: m[1] ?? m[2] ?? '127.0.0.1', port};
}

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

/** Where the whole-run latency histograms come from at scrape time (the engine). */
export interface LatencySource {
  latencyCounts(boundsUs: readonly number[]): ReadonlyArray<{readonly method: string; readonly name: string; readonly counts: BoundCounts}>;
  connectCounts(boundsUs: readonly number[]): BoundCounts | undefined;
}

/**
 * Bucket bounds, seconds: prom-client's defaults with a millisecond at the fast end (a loopback target
 * answers in less than 5 ms) and 30 s and a minute at the slow end (proxies time out at 30 or 60 s).
 */
export const BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;
const BOUNDS_US = BUCKETS_S.map((s) => Math.round(s * 1e6));

/** A sample line as prom-client's registry writes it. */
interface Sample {
  readonly metricName: string;
  readonly labels: Record<string, string | number>;
  readonly value: number;
}

/** `_bucket{le}` lines (cumulative, `+Inf` last), `_sum` and `_count`, for one label set. */
function histogramSamples(name: string, labels: Record<string, string>, counts: BoundCounts): Sample[] {
  const out: Sample[] = BUCKETS_S.map((le, i) => ({metricName: `${name}_bucket`, labels: {...labels, le}, value: counts.atMost[i]!}));
  out.push({metricName: `${name}_bucket`, labels: {...labels, le: '+Inf'}, value: counts.count});
  out.push({metricName: `${name}_sum`, labels, value: counts.sumUs / 1e6});
  out.push({metricName: `${name}_count`, labels, value: counts.count});
  return out;
}

/**
 * A histogram prom-client writes but brink fills: the counts come whole from brink's HDR histograms at
 * scrape time (observing each request again in the main thread would cost what the workers saved).
 * prom-client's registry accepts any object with a name and a get() giving type and samples.
 */
function histogramFromCounts(name: string, help: string, collect: () => Sample[]) {
  return {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    get: async () => ({name, help, type: 'histogram', aggregator: 'sum', values: collect()}),
  };
}

export async function startMetricsServer(address: MetricsAddress, source?: LatencySource): Promise<MetricsServer> {
  // Loaded only when asked for: prom-client takes ~70 ms of CPU to load, a tenth of a short run's start-up.
  const {Counter, Gauge, Registry} = await import('prom-client');
  const registry = new Registry();
  const requests = new Counter({
    name: 'brink_requests_total',
    help: 'Requests brink completed, per endpoint and HTTP status (status "none": no answer, see brink_failures_total).',
    labelNames: ['method', 'endpoint', 'status'],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'brink_failures_total',
    help: 'Failed requests, per endpoint and failure kind (http_503, timeout, conn_reset, check…).',
    labelNames: ['method', 'endpoint', 'kind'],
    registers: [registry],
  });
  registry.registerMetric(
    histogramFromCounts(
      'brink_request_duration_seconds',
      'Request latency over the run, seconds, per endpoint (open model: from when each request was due).',
      () =>
        (source?.latencyCounts(BOUNDS_US) ?? []).flatMap((e) =>
          histogramSamples('brink_request_duration_seconds', {method: e.method, endpoint: e.name}, e.counts),
        ),
    ) as unknown as Metric,
  );
  registry.registerMetric(
    histogramFromCounts(
      'brink_connect_duration_seconds',
      'Time connections to the target took to open, seconds (not in request latency).',
      () => {
        const counts = source?.connectCounts(BOUNDS_US);
        return counts && counts.count > 0 ? histogramSamples('brink_connect_duration_seconds', {}, counts) : [];
      },
    ) as unknown as Metric,
  );
  const users = new Gauge({name: 'brink_users', help: 'Virtual users running now.', registers: [registry]});
  const targetUsers = new Gauge({name: 'brink_target_users', help: 'Virtual users the plan (or the keys) ask for.', registers: [registry]});
  const elu = new Gauge({
    name: 'brink_generator_event_loop_utilisation_ratio',
    help: 'Busiest worker event-loop utilisation, 0..1: near 1, brink itself is the bottleneck.',
    registers: [registry],
  });
  const opened = new Counter({
    name: 'brink_connections_opened_total',
    help: 'Connections brink opened to the target; rising with the requests means connections are not being reused.',
    registers: [registry],
  });
  const seen = new Map<string, number>();
  const delta = (key: string, total: number) => {
    const d = total - (seen.get(key) ?? 0);
    seen.set(key, total);
    return d;
  };

  const server = http.createServer(async (req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end('brink serves /metrics\n');
      return;
    }
    res.setHeader('content-type', registry.contentType);
    res.end(await registry.metrics());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => resolve());
  });
  const {port} = server.address() as AddressInfo;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;

  return {
    url: `http://${host}:${port}/metrics`,
    update(state) {
      for (const e of state.endpoints) {
        const l = {method: e.method, endpoint: e.name};
        let answered = 0;
        for (const [status, n] of Object.entries(e.statusCodes)) {
          answered += n;
          const d = delta(`r ${e.key} ${status}`, n);
          if (d > 0) requests.inc({...l, status}, d);
        }
        const none = delta(`r ${e.key} none`, e.requests - answered);
        if (none > 0) requests.inc({...l, status: 'none'}, none);
        for (const [kind, n] of Object.entries(e.failuresByKind)) {
          const dk = delta(`f ${e.key} ${kind}`, n);
          if (dk > 0) failures.inc({...l, kind}, dk);
        }
      }
      users.set(state.users.active);
      targetUsers.set(state.users.target);
      elu.set(state.health.maxElu);
      const dc = delta('connections', state.connections.opened);
      if (dc > 0) opened.inc(dc);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
