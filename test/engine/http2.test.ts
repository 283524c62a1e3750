// --http2 against Node's own http2 server: every request arrives as HTTP/2 over a handful of connections, and
// brink's counts equal the server's; a stream the server resets is its own failure kind.
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startH2Server, type H2Server} from '../helpers/h2-server.js';
import {brinkCounts, endpoint, run, scenarioFile} from '../helpers/run.js';

let tls: H2Server;
beforeAll(async () => {
  tls = await startH2Server({tls: true, resetPaths: ['/reset'], slowPaths: {'/slow-post': 50}});
});
afterAll(async () => {
  await tls.close();
});

describe('quick mode with --http2 over TLS', () => {
  it('sends every request as h2 over a few connections, and counts what the server saw', async () => {
    const {final} = await run({
      workload: {kind: 'quick', method: 'GET', path: '/ok?x=1', headers: {}},
      host: tls.url,
      http2: true,
      insecure: true,
      workers: 2,
      users: 40,
      durationMs: 1500,
    });
    const seen = tls.streams()['GET /ok'];
    expect(seen).toBeGreaterThan(200);
    expect(tls.versions()).toEqual({'2.0': seen});
    // 40 users on 2 workers: one connection a worker carries them all (up to 100 streams at once each).
    expect(tls.sessions()).toBeGreaterThanOrEqual(2);
    expect(tls.sessions()).toBeLessThanOrEqual(4);
    expect(final.totals.requests).toBe(seen);
    expect(final.totals.failures).toBe(0);
    expect(final.totals.protocols).toEqual({h2: seen});
    expect(final.totals.retries).toBe(0);
    expect(final.connections.opened).toBe(tls.sessions());
  });

  it('a stream the server resets is an h2_stream_reset failure', async () => {
    const before = tls.streams()['GET /reset'] ?? 0;
    const {final} = await run({
      workload: {kind: 'quick', method: 'GET', path: '/reset', headers: {}},
      host: tls.url,
      http2: true,
      insecure: true,
      users: 2,
      durationMs: 600,
    });
    const seen = (tls.streams()['GET /reset'] ?? 0) - before;
    expect(seen).toBeGreaterThan(5);
    expect(final.totals.requests).toBe(seen);
    expect(final.totals.failuresByKind).toEqual({h2_stream_reset: seen});
    expect(final.totals.retries).toBe(0);
    const sample = endpoint(final, 'GET /reset').errors[0];
    expect(sample.message).toMatch(/NGHTTP2_INTERNAL_ERROR/);
  });
});

describe('a scenario with http2', () => {
  it('sends its named requests over h2', async () => {
    const before = {...tls.streams()};
    const sc = await scenarioFile(`
import {scenario, user, task} from 'brink';
export default scenario({http2: true, users: [user('u', [
  task(async ({http, randomInt}) => {
    await http.get('/items/' + randomInt(1, 50), {name: 'GET /items/:id'});
    await http.post('/cart', {json: {id: 1}});
  }),
])]});
`);
    try {
      const {final} = await run({workload: sc.workload, host: tls.url, http2: true, insecure: true, users: 6, durationMs: 800});
      const after = tls.streams();
      const items = Object.entries(after)
        .filter(([k]) => k.startsWith('GET /items/'))
        .reduce((n, [k, v]) => n + v - (before[k] ?? 0), 0);
      const carts = (after['POST /cart'] ?? 0) - (before['POST /cart'] ?? 0);
      expect(items).toBeGreaterThan(10);
      expect(brinkCounts(final)).toEqual({'GET /items/:id': items, 'POST /cart': carts});
      expect(final.totals.failures).toBe(0);
      expect(final.totals.protocols).toEqual({h2: items + carts});
    } finally {
      sc.cleanup();
    }
  });
});

describe('POSTs over h2', () => {
  it('are multiplexed as GETs are: 20 users posting to a 50 ms endpoint are not made to wait for each other', async () => {
    const before = tls.streams()['POST /slow-post'] ?? 0;
    const sessions = tls.sessions();
    const sc = await scenarioFile(`
import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', [task(async ({http}) => { await http.post('/slow-post', {json: {n: 1}}); })])]});
`);
    try {
      const {final} = await run({
        workload: sc.workload,
        host: tls.url,
        http2: true,
        insecure: true,
        workers: 1,
        users: 20,
        durationMs: 1500,
      });
      const seen = (tls.streams()['POST /slow-post'] ?? 0) - before;
      expect(final.totals.requests).toBe(seen);
      expect(final.totals.failures).toBe(0);
      // One at a time (undici's rule for a non-idempotent request) would be ~20 req/s, 30 in 1.5 s; at once, ~400 req/s.
      expect(seen).toBeGreaterThan(200);
      expect(tls.sessions() - sessions).toBe(1);
      expect(endpoint(final, 'POST /slow-post').latencyMs.p50).toBeLessThan(150);
    } finally {
      sc.cleanup();
    }
  });
});

describe('h2c (prior knowledge) over http://', () => {
  it('speaks h2 to a plain-text h2 server', async () => {
    const h2c = await startH2Server({tls: false});
    try {
      const {final} = await run({
        workload: {kind: 'quick', method: 'GET', path: '/plain', headers: {}},
        host: h2c.url,
        http2: true,
        users: 8,
        durationMs: 600,
      });
      const seen = h2c.streams()['GET /plain'];
      expect(seen).toBeGreaterThan(20);
      expect(h2c.versions()).toEqual({'2.0': seen});
      expect(final.totals.requests).toBe(seen);
      expect(final.totals.protocols).toEqual({h2: seen});
      expect(h2c.sessions()).toBe(1);
    } finally {
      await h2c.close();
    }
  });

  it('an http:// server that speaks only HTTP/1.1: h2_protocol, with a message that says so and what to do', async () => {
    const plain = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    let seen = 0;
    plain.on('request', () => seen++);
    try {
      const {final} = await run({
        workload: {kind: 'quick', method: 'GET', path: '/', headers: {}},
        host: `http://127.0.0.1:${(plain.address() as AddressInfo).port}`,
        http2: true,
        users: 2,
        durationMs: 500,
      });
      expect(seen).toBe(0);
      expect(final.totals.requests).toBeGreaterThan(0);
      expect(final.totals.failuresByKind).toEqual({h2_protocol: final.totals.requests});
      expect(endpoint(final, 'GET /').errors[0].message).toMatch(
        /h2c: this http:\/\/ server does not seem to speak HTTP\/2 without TLS; drop --http2/,
      );
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });
});
