// Scenario mode's pool of h1 connections: never more connections than its cap, and a request that waits
// for a free connection has that wait counted against its timeout (it cannot outlast it by queueing).
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {H1Pool, type LeanResponse} from '../../../source/worker/http/h1-pool.js';

let server: Server;
let port = 0;
let connections = 0;
const seen: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    setTimeout(() => {
      if (!res.destroyed) res.end('held');
    }, 300);
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('H1Pool', () => {
  it('queues behind its cap and counts the wait against the timeout', async () => {
    const pool = H1Pool.for(`http://127.0.0.1:${port}`, 1, 1 << 20)!;
    const t0 = performance.now();
    const send = (path: string) =>
      new Promise<{res: LeanResponse; ms: number}>((resolve) => {
        pool.request(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`, false, 400, {
          h1Done: (res) => resolve({res, ms: performance.now() - t0}),
        });
      });
    const [a, b, c] = await Promise.all([send('/a'), send('/b'), send('/c')]);
    pool.close();
    // /a: answered after 300 ms. /b: waited 300 ms for the one connection, then had 100 ms left: timed out at ~400 ms.
    expect(a.res.status).toBe(200);
    expect(a.res.body.toString()).toBe('held');
    expect((b.res.error as {code?: string}).code).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(b.ms).toBeGreaterThanOrEqual(390);
    expect(b.ms).toBeLessThan(1000);
    // /c: its 400 ms were over while it waited behind /b: it ends as a timeout without being sent.
    expect((c.res.error as {code?: string}).code).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(c.ms).toBeLessThan(1000);
    expect(seen).toEqual(['/a', '/b']);
    expect(connections).toBe(1);
  });

  it('a closed pool refuses requests with undici\'s "destroyed" error', async () => {
    const pool = H1Pool.for(`http://127.0.0.1:${port}`, 4, 1 << 20)!;
    pool.close();
    const res = await new Promise<LeanResponse>((resolve) =>
      pool.request('GET / HTTP/1.1\r\nhost: x\r\n\r\n', false, 1000, {h1Done: resolve}),
    );
    expect((res.error as {code?: string}).code).toBe('UND_ERR_DESTROYED');
    expect(H1Pool.for('https://127.0.0.1:1', 4, 1)).toBeUndefined();
  });
});
