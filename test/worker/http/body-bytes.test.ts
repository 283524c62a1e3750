// Response body bytes (Locust's "Average Content Size") as the server sent them: framed by Content-Length, by
// chunks, or by closing the connection; over the h1 client and over undici (https); in quick and scenario mode.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import https from 'node:https';
import {selfSignedCert, startRawServer, type Counted} from '../../helpers/misbehaving-server.js';
import {endpoint, run, scenarioFile, tempDir} from '../../helpers/run.js';

/** Bytes each route's body has; the server counts what it served. */
const SIZES = {'/length': 1234, '/chunked': 3000, '/missing': 2000} as const;
const served = new Map<string, number>();
let server: http.Server;
let url: string;
let closing: Counted;
let tls: https.Server;
let tlsUrl: string;
const tmp = tempDir('brink-bytes-');

/** The routes of SIZES, each counted in `served`. */
function serve(req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = req.url as keyof typeof SIZES;
  served.set(path, (served.get(path) ?? 0) + 1);
  if (path === '/chunked') {
    // Three chunks: Node writes chunked framing when no Content-Length is set.
    res.write('a'.repeat(1000));
    res.write('b'.repeat(1000));
    res.end('c'.repeat(1000));
    return;
  }
  res.statusCode = path === '/missing' ? 404 : 200;
  res.setHeader('content-length', SIZES[path] ?? 0);
  res.end('x'.repeat(SIZES[path] ?? 0));
}

beforeAll(async () => {
  server = http.createServer(serve);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // HTTP/1.0-style: no length, the body ends when the server closes the connection.
  closing = await startRawServer({
    respond: (socket) => {
      socket.end('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n' + 'z'.repeat(777));
    },
  });
  tls = https.createServer(selfSignedCert(tmp.dir), serve);
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
  tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await closing.close();
  tls.closeAllConnections();
  await new Promise((r) => tls.close(r));
  tmp.cleanup();
});

const quick = (host: string, path: string) => ({
  workload: {kind: 'quick' as const, method: 'GET', path, headers: {}},
  host,
  users: 2,
  durationMs: 600,
  insecure: true,
});

describe('body bytes', () => {
  it.each(Object.entries(SIZES))('quick mode over the h1 client, %s: every byte of every body, kept or not', async (path, size) => {
    const before = served.get(path) ?? 0;
    const {final} = await run(quick(url, path));
    const e = endpoint(final, `GET ${path}`);
    expect(e.requests).toBe((served.get(path) ?? 0) - before);
    expect(e.requests).toBeGreaterThan(0);
    expect(e.bytes).toBe(e.requests * size);
  });

  it('quick mode, a body that ends when the connection closes', async () => {
    const {final} = await run(quick(closing.url, '/close'));
    const e = endpoint(final, 'GET /close');
    expect(e.requests).toBeGreaterThan(0);
    expect(e.bytes).toBe(e.requests * 777);
  });

  it.each(Object.entries(SIZES))('quick mode over undici (https), %s', async (path, size) => {
    const {final} = await run(quick(tlsUrl, path));
    const e = endpoint(final, `GET ${path}`);
    expect(e.requests).toBeGreaterThan(0);
    expect(e.bytes).toBe(e.requests * size);
  });

  it('scenario mode: chunked and error bodies counted whole, though a failure keeps only its first bytes', async () => {
    const s = await scenarioFile(`
      import {scenario, user, task} from 'brink';
      export default scenario({users: [user('u', {}, [
        task(async ({http}) => {
          await http.get('/chunked');
          await http.get('/missing');
        }),
      ])]});
    `);
    try {
      const {final} = await run({workload: s.workload, host: url, users: 2, durationMs: 600});
      const chunked = endpoint(final, 'GET /chunked');
      const missing = endpoint(final, 'GET /missing');
      expect(chunked.bytes).toBe(chunked.requests * 3000);
      expect(missing.failures).toBe(missing.requests);
      expect(missing.bytes).toBe(missing.requests * 2000);
    } finally {
      s.cleanup();
    }
  });
});
