// A Prometheus exposition endpoint during a run (`--metrics 127.0.0.1:9464`), so Grafana can put brink's
// load next to the app's CPU, database and queue graphs. prom-client writes the format; brink feeds it
// once per interval from RunState: counters advance by each interval's delta, gauges take the latest figures.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import type {RunState} from '../engine/run-state.js';

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

export async function startMetricsServer(address: MetricsAddress): Promise<MetricsServer> {
  // Loaded only when asked for: prom-client takes ~70 ms of CPU to load, a tenth of a short run's start-up.
  const {Counter, Gauge, Registry} = await import('prom-client');
  const registry = new Registry();
  const labels = ['method', 'endpoint'] as const;
  const requests = new Counter({
    name: 'brink_requests_total',
    help: 'Requests brink completed, per endpoint.',
    labelNames: labels,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'brink_failures_total',
    help: 'Failed requests, per endpoint and failure kind (http_503, timeout, conn_reset, check…).',
    labelNames: [...labels, 'kind'],
    registers: [registry],
  });
  const latency = new Gauge({
    name: 'brink_latency_ms',
    help: 'Latency percentiles over the last interval, milliseconds.',
    labelNames: [...labels, 'quantile'],
    registers: [registry],
  });
  const rps = new Gauge({
    name: 'brink_requests_per_second',
    help: 'Requests per second over the last interval.',
    labelNames: labels,
    registers: [registry],
  });
  const users = new Gauge({name: 'brink_users', help: 'Virtual users running now.', registers: [registry]});
  const targetUsers = new Gauge({name: 'brink_target_users', help: 'Virtual users the plan (or the keys) ask for.', registers: [registry]});
  const elu = new Gauge({
    name: 'brink_generator_event_loop_utilisation',
    help: 'Busiest worker event-loop utilisation, 0..1: near 1, brink itself is the bottleneck.',
    registers: [registry],
  });
  const opened = new Counter({
    name: 'brink_connections_opened_total',
    help: 'Connections brink opened to the target; rising with the requests means connections are not being reused.',
    registers: [registry],
  });
  const connectP99 = new Gauge({
    name: 'brink_connect_p99_ms',
    help: 'p99 of the time connections took to open over the run, milliseconds (not in brink_latency_ms).',
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
        const d = delta(`r ${e.key}`, e.requests);
        if (d > 0) requests.inc(l, d);
        for (const [kind, n] of Object.entries(e.failuresByKind)) {
          const dk = delta(`f ${e.key} ${kind}`, n);
          if (dk > 0) failures.inc({...l, kind}, dk);
        }
        latency.set({...l, quantile: '0.5'}, e.now.p50);
        latency.set({...l, quantile: '0.95'}, e.now.p95);
        latency.set({...l, quantile: '0.99'}, e.now.p99);
        rps.set(l, e.now.rps);
      }
      users.set(state.users.active);
      targetUsers.set(state.users.target);
      elu.set(state.health.maxElu);
      const dc = delta('connections', state.connections.opened);
      if (dc > 0) opened.inc(dc);
      connectP99.set(state.connections.connectMs.p99);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
