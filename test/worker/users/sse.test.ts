// Server-sent events in scenarios, against a plain node:http server on loopback that sends events on a clock it
// keeps itself: brink's time to first event, its gaps and its event counts must be what the server did.
import http from 'node:http';
import net from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {RunState} from '../../../source/engine/run-state.js';
import {endpoint, run, scenarioFile, sleep} from '../../helpers/run.js';

/** The feed's first event comes FIRST_MS after the request, then one every GAP_MS. */
const FIRST_MS = 60;
const GAP_MS = 100;

interface Stream {
  path: string;
  sent: number;
  closedByClient: boolean;
  authorization?: string;
  cookie?: string;
}

const streams: Stream[] = [];
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/login') {
      res.writeHead(200, {'set-cookie': 'session=abc; Path=/'});
      res.end('ok');
      return;
    }
    if (path === '/events/forbidden') {
      res.writeHead(403, {'content-type': 'text/plain'});
      res.end('no');
      return;
    }
    const stream: Stream = {path, sent: 0, closedByClient: false, authorization: req.headers.authorization, cookie: req.headers.cookie};
    streams.push(stream);
    res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache'});
    res.flushHeaders();
    const timers: NodeJS.Timeout[] = [];
    let ended = false;
    const send = () => {
      if (ended) return;
      stream.sent++;
      res.write(`id: ${stream.sent}\nevent: tick\ndata: {"n": ${stream.sent}}\n\n`);
      // /events/short ends the stream itself after its second event.
      if (path === '/events/short' && stream.sent === 2) {
        ended = true;
        res.end();
        return;
      }
      timers.push(setTimeout(send, GAP_MS));
    };
    if (path !== '/events/silent') timers.push(setTimeout(send, FIRST_MS));
    res.on('close', () => {
      for (const t of timers) clearTimeout(t);
      if (!ended) stream.closedByClient = true;
      ended = true;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as {port: number}).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function runScenario(source: string, users: number, durationMs: number): Promise<RunState> {
  streams.length = 0;
  const sc = await scenarioFile(source);
  try {
    return (await run({workload: sc.workload, host: url, workers: 1, users, durationMs, timeoutMs: 5000})).final;
  } finally {
    sc.cleanup();
  }
}

describe('server-sent events in scenarios', () => {
  it("time to first event and the gaps between events are the server's; every event sent is counted once", async () => {
    const final = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('reader', {
  onStart: async ({http}) => { await http.get('/login'); http.bearer('tok'); },
}, [
  task(async ({sse}) => {
    const stream = await sse.connect('/events', {name: 'SSE /events'});
    for (let i = 1; i <= 4; i++) {
      const e = await stream.next({timeout: 2});
      if (e.event !== 'tick' || e.id !== String(i) || e.json().n !== i) throw new Error('unexpected event ' + JSON.stringify(e));
    }
    stream.close();
  }),
])]});
`,
      4,
      2200,
    );
    expect(final.scriptErrors, JSON.stringify(final.scriptErrors)).toEqual([]);
    expect(final.totals.failures).toBe(0);
    const first = endpoint(final, 'SSE /events');
    const gaps = endpoint(final, 'SSE /events (gap)');
    expect(first.method).toBe('SSE');
    expect(first.statusCodes).toEqual({200: first.requests});
    // One time-to-first-event sample a stream that got its first event.
    const started = streams.filter((s) => s.sent > 0);
    expect(first.requests).toBe(started.length);
    expect(first.requests).toBeGreaterThanOrEqual(8);
    // Every event the server sent arrived and was counted once: the first of a stream under its name, the rest as gaps.
    // The run's end may cut a stream just after the server wrote an event: at most one a stream, and only streams cut so.
    const sent = streams.reduce((n, s) => n + s.sent, 0);
    const cut = streams.filter((s) => s.sent < 4).length;
    expect(first.requests + gaps.requests).toBeLessThanOrEqual(sent);
    expect(first.requests + gaps.requests).toBeGreaterThanOrEqual(sent - cut);
    // The server's clock: first event after FIRST_MS, then one every GAP_MS (loopback adds little; timers fire late, not early).
    expect(first.latencyMs.p50).toBeGreaterThanOrEqual(FIRST_MS - 2);
    expect(first.latencyMs.p50).toBeLessThan(FIRST_MS + 40);
    expect(gaps.latencyMs.p50).toBeGreaterThanOrEqual(GAP_MS - 5);
    expect(gaps.latencyMs.p50).toBeLessThan(GAP_MS + 25);
    expect(gaps.latencyMs.max).toBeLessThan(GAP_MS * 2);
    // The gaps are a row of their own, not requests: the run's totals count the login and the streams only.
    expect(gaps.gaps).toBe(true);
    expect(final.totals.requests).toBe(first.requests + endpoint(final, 'GET /login').requests);
    expect(final.totals.latencyMs.max).toBeLessThan(GAP_MS * 1.5);
    // The user's cookie and bearer token went with every stream's request; each was closed by the client.
    for (const s of streams) {
      expect(s.authorization).toBe('Bearer tok');
      expect(s.cookie).toBe('session=abc');
    }
    await sleep(50);
    expect(streams.every((s) => s.closedByClient)).toBe(true);
    expect(final.connections.sockets).toMatchObject({open: 0, opened: streams.length});
  }, 20_000);

  it('a stream the server ends is sse_closed, one with no event in time sse_timeout, a 403 http_403', async () => {
    const final = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [
  user('short', {}, [task('short', async ({sse}) => {
    const stream = await sse.connect('/events/short');
    for (;;) await stream.next({timeout: 2});
  })]),
  user('silent', {}, [task('silent', async ({sse}) => {
    const stream = await sse.connect('/events/silent');
    try { await stream.next({timeout: 0.25}); } finally { stream.close(); }
  })]),
  user('forbidden', {}, [task('forbidden', async ({sse, sleep}) => { await sleep(0.1); await sse.connect('/events/forbidden'); })]),
]});
`,
      3,
      1500,
    );
    expect(final.scriptErrors, JSON.stringify(final.scriptErrors)).toEqual([]);
    const short = endpoint(final, 'SSE /events/short');
    const ended = streams.filter((s) => s.path === '/events/short' && s.sent === 2);
    expect(ended.length).toBeGreaterThan(1);
    expect(short.failuresByKind).toEqual({sse_closed: ended.length});
    expect(short.errors[0].message).toBe('the server ended the stream');
    expect(endpoint(final, 'SSE /events/short (gap)').requests).toBe(ended.length);

    const silent = endpoint(final, 'SSE /events/silent');
    expect(silent.requests).toBeGreaterThan(1);
    expect(silent.failuresByKind).toEqual({sse_timeout: silent.requests});
    expect(silent.latencyMs.min).toBeGreaterThanOrEqual(245);
    expect(silent.latencyMs.max).toBeLessThan(550);

    const forbidden = endpoint(final, 'SSE /events/forbidden');
    expect(forbidden.failuresByKind).toEqual({http_403: forbidden.requests});
    expect(forbidden.requests).toBeGreaterThan(2);
  }, 20_000);

  it('a stream to a port nothing listens on is conn_refused; one whose response never comes is timeout', async () => {
    const gone = net.createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const closedPort = (gone.address() as net.AddressInfo).port;
    await new Promise((r) => gone.close(r));
    const held: net.Socket[] = [];
    const mute = net.createServer((socket) => held.push(socket.on('error', () => {})));
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    const mutePort = (mute.address() as net.AddressInfo).port;
    try {
      const final = await runScenario(
        `import {scenario, user, task} from 'brink';
export default scenario({users: [
  user('refused', {}, [task('refused', async ({sse, sleep}) => { await sleep(0.05); await sse.connect('http://127.0.0.1:${closedPort}/events', {name: 'SSE refused'}); })]),
  user('mute', {}, [task('mute', async ({sse}) => { await sse.connect('http://127.0.0.1:${mutePort}/events', {name: 'SSE mute', timeout: 0.3}); })]),
]});
`,
        2,
        1400,
      );
      expect(final.scriptErrors, JSON.stringify(final.scriptErrors)).toEqual([]);
      const refused = endpoint(final, 'SSE refused');
      expect(refused.requests).toBeGreaterThan(2);
      expect(refused.failuresByKind).toEqual({conn_refused: refused.requests});
      const mute = endpoint(final, 'SSE mute');
      expect(mute.failuresByKind).toEqual({timeout: mute.requests});
      expect(mute.requests).toBeGreaterThanOrEqual(held.length - 1);
      expect(mute.requests).toBeLessThanOrEqual(held.length);
      expect(mute.latencyMs.min).toBeGreaterThanOrEqual(295);
      expect(mute.latencyMs.max).toBeLessThan(700);
      expect(final.connections.sockets?.opened ?? 0).toBe(0);
    } finally {
      for (const s of held) s.destroy();
      await new Promise((r) => mute.close(r));
    }
  }, 20_000);

  it('a stream closed before its first event (a script error, the script) is still a request the server answered', async () => {
    const final = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', [
  task(2, async ({sse}) => {
    const feed = await sse.connect('/events', {name: 'SSE /events'});
    await feed.nxt(); // a typo: a script error before the first event
  }),
  task(1, async ({sse}) => {
    const feed = await sse.connect('/events', {name: 'SSE /events'});
    feed.close();
  }),
])]});
`,
      2,
      1500,
    );
    const row = endpoint(final, 'SSE /events');
    expect(streams.length).toBeGreaterThan(10);
    expect(row.requests).toBe(streams.length);
    expect(final.totals.requests).toBe(streams.length);
    expect(row.failures).toBe(0);
    // Each answered before its first event: timed to its response head, well under the feed's first event.
    expect(row.latencyMs.p50).toBeLessThan(FIRST_MS);
    expect(final.scriptErrors.reduce((n, e) => n + e.count, 0)).toBeGreaterThan(0);
    // Short-lived as they are, the gauge saw them: opened all, at most the 2 users' at once, none left.
    expect(final.connections.sockets?.opened).toBe(streams.length);
    expect(final.connections.sockets?.peak).toBeGreaterThanOrEqual(1);
    expect(final.connections.sockets?.peak).toBeLessThanOrEqual(2);
    expect(final.connections.sockets?.open).toBe(0);
  }, 20_000);
});
