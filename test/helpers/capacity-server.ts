// Loopback servers with a known capacity, to check the verdicts brink draws against the truth.
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: http.Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/** `handlers` concurrent handlers, each busy `serviceMs` per request, the rest queue: capacity handlers × 1000 / serviceMs req/s. */
export async function capacityServer(handlers: number, serviceMs: number): Promise<TestServer> {
  let busy = 0;
  const queue: http.ServerResponse[] = [];
  const next = () => {
    while (busy < handlers && queue.length > 0) {
      busy++;
      const res = queue.shift()!;
      setTimeout(() => {
        res.end('ok');
        busy--;
        next();
      }, serviceMs);
    }
  };
  const server = http.createServer((req, res) => {
    req.resume();
    queue.push(res);
    next();
  });
  return {url: await listen(server), close: closer(server)};
}

/**
 * Healthy (answers in `okMs`) until more than `limit` requests are in flight; then sick (answers in `sickMs`)
 * until in-flight has stayed at or under `limit` for `recoverMs`. Records when it turned healthy again.
 */
export async function sickServer(o: {
  limit: number;
  okMs: number;
  sickMs: number;
  recoverMs: number;
}): Promise<TestServer & {healedAt: () => number | undefined; calmSince: () => number | undefined}> {
  let inFlight = 0;
  let sick = false;
  let calmSince: number | undefined;
  let healedAt: number | undefined;
  const check = () => {
    const now = Date.now();
    if (inFlight > o.limit) {
      sick = true;
      calmSince = undefined;
      healedAt = undefined;
      return;
    }
    if (sick) {
      calmSince ??= now;
      if (now - calmSince >= o.recoverMs) {
        sick = false;
        healedAt = calmSince + o.recoverMs;
      }
    }
  };
  const timer = setInterval(check, 10);
  const server = http.createServer((req, res) => {
    req.resume();
    inFlight++;
    check();
    setTimeout(
      () => {
        inFlight--;
        res.end('ok');
      },
      sick ? o.sickMs : o.okMs,
    );
  });
  const url = await listen(server);
  const close = closer(server);
  return {
    url,
    close: async () => {
      clearInterval(timer);
      await close();
    },
    healedAt: () => healedAt,
    calmSince: () => calmSince,
  };
}
