// WebSockets in scenarios, against a real `ws` server on loopback that keeps its own counts: what it echoed, the
// handshakes it accepted or refused, the sockets it saw close. brink's figures must equal the server's.
import http from 'node:http';
import net from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {WebSocketServer, type WebSocket} from 'ws';
import {Engine} from '../../../source/engine/engine.js';
import type {RunState} from '../../../source/engine/run-state.js';
import {endpoint, run, scenarioFile, scriptErrors, sleep} from '../../helpers/run.js';
import {sockets} from '../../reliability/support.js';

interface Seen {
  echoed: number;
  /** Handshakes accepted, and the headers each came with. */
  accepted: Array<{path: string; authorization?: string; cookie?: string}>;
  refused: number;
  /** Close codes of sockets the client closed (or that went away), by path. */
  closes: Array<{path: string; code: number}>;
  /** Sockets the server closed itself. */
  serverCloses: number;
  open: number;
}

const seen: Seen = {echoed: 0, accepted: [], refused: 0, closes: [], serverCloses: 0, open: 0};
let server: http.Server;
let url: string;

beforeAll(async () => {
  const wss = new WebSocketServer({noServer: true});
  server = http.createServer((req, res) => {
    // A login that sets a session cookie: the handshake after it must carry it.
    if (req.url === '/login') res.writeHead(200, {'set-cookie': `session=s${Math.random().toString(36).slice(2)}; Path=/`});
    res.end('ok');
  });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/ws/forbidden') {
      seen.refused++;
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      return;
    }
    // A slow handshake: the run is asked to stop while it is under way.
    if (path === '/ws/slow') {
      setTimeout(() => !socket.destroyed && accept(), 600);
      return;
    }
    accept();
    function accept(): void {
      wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        seen.accepted.push({path, authorization: req.headers.authorization, cookie: req.headers.cookie});
        seen.open++;
        let count = 0;
        let closedByServer = false;
        ws.on('message', (data, binary) => {
          if (path === '/ws/silent') return;
          count++;
          if (path === '/ws/short' && count > 3) {
            closedByServer = true;
            seen.serverCloses++;
            ws.close(4000, 'enough');
            return;
          }
          seen.echoed++;
          ws.send(data, {binary});
        });
        ws.on('close', (code) => {
          seen.open--;
          if (!closedByServer) seen.closes.push({path, code});
        });
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as {port: number}).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function reset(): void {
  Object.assign(seen, {echoed: 0, accepted: [], refused: 0, closes: [], serverCloses: 0});
}

/** Waits (bounded) until the server saw every socket close. */
async function allClosed(withinMs = 3000): Promise<number> {
  const until = Date.now() + withinMs;
  while (seen.open > 0 && Date.now() < until) await sleep(20);
  return seen.open;
}

async function runScenario(source: string, users: number, durationMs: number, workers = 1): Promise<RunState> {
  const sc = await scenarioFile(source);
  try {
    return (await run({workload: sc.workload, host: url, workers, users, durationMs, timeoutMs: 5000})).final;
  } finally {
    sc.cleanup();
  }
}

describe('WebSockets in scenarios', () => {
  it("echo: brink's round trips equal the server's echoes; cookies and the bearer token go with the handshake", async () => {
    reset();
    const final = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('chatter', {
  onStart: async ({http, userId}) => { await http.post('/login'); http.bearer('token-' + userId); },
}, [
  task(async ({ws, userId}) => {
    const sock = await ws.connect('/ws/echo', {name: 'WS /ws/echo'});
    for (let i = 0; i < 5; i++) {
      sock.send('hello ' + userId + ' ' + i);
      const msg = await sock.next({timeout: 2});
      if (msg.text() !== 'hello ' + userId + ' ' + i || msg.binary || !(msg.elapsedMs >= 0)) throw new Error('wrong answer ' + msg.text());
    }
    sock.send(new Uint8Array([1, 2, 3]));
    const bin = await sock.next();
    if (!bin.binary || bin.data.length !== 3 || bin.data[2] !== 3) throw new Error('binary answer wrong');
    sock.close();
  }),
])]});
`,
      4,
      1500,
      2,
    );
    expect(final.scriptErrors, JSON.stringify(final.scriptErrors)).toEqual([]);
    expect(final.totals.failures).toBe(0);
    const echo = endpoint(final, 'WS /ws/echo');
    const connect = endpoint(final, 'WS /ws/echo (connect)');
    expect(echo.method).toBe('WS');
    expect(echo.requests).toBeGreaterThan(20);
    expect(echo.requests).toBe(seen.echoed);
    const accepted = seen.accepted.filter((a) => a.path === '/ws/echo');
    expect(connect.requests).toBe(accepted.length);
    expect(connect.statusCodes).toEqual({101: accepted.length});
    for (const a of accepted) {
      expect(a.authorization).toMatch(/^Bearer token-[0-3]$/);
      expect(a.cookie).toMatch(/^session=s\w+$/);
    }
    // Round trips and handshakes are requests of the run, as HTTP ones are.
    expect(final.totals.requests).toBe(echo.requests + connect.requests + endpoint(final, 'POST /login').requests);
    expect(await allClosed()).toBe(0);
    expect(seen.closes.every((c) => c.code === 1000 || c.code === 1001)).toBe(true);
  }, 20_000);

  it('a refused handshake is ws_handshake_403; a socket the server closes is ws_closed; an answer that never comes is ws_timeout', async () => {
    reset();
    const final = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [
  user('refused', {}, [task('refused', async ({ws, sleep}) => { await sleep(0.05); await ws.connect('/ws/forbidden'); })]),
  user('short', {}, [task('short', async ({ws}) => {
    const sock = await ws.connect('/ws/short');
    for (;;) { sock.send('x'); await sock.next({timeout: 2}); }
  })]),
  user('silent', {}, [task('silent', async ({ws}) => {
    const sock = await ws.connect('/ws/silent');
    try { sock.send('anyone?'); await sock.next({timeout: 0.3}); } finally { sock.close(); }
  })]),
]});
`,
      3,
      1600,
    );
    // Counted failures end their tasks without a script error.
    expect(final.scriptErrors, JSON.stringify(final.scriptErrors)).toEqual([]);

    const refused = endpoint(final, 'WS /ws/forbidden (connect)');
    expect(refused.failuresByKind).toEqual({ws_handshake_403: seen.refused});
    expect(refused.requests).toBe(seen.refused);
    expect(refused.errors[0].message).toMatch(/HTTP 403/);

    const short = endpoint(final, 'WS /ws/short (connect)');
    expect(seen.serverCloses).toBeGreaterThan(2);
    expect(short.failuresByKind).toEqual({ws_closed: seen.serverCloses});
    expect(short.errors[0].message).toMatch(/closed by the server: code 4000 enough/);
    expect(endpoint(final, 'WS /ws/short').requests).toBe(seen.echoed);

    const silent = endpoint(final, 'WS /ws/silent');
    expect(silent.requests).toBeGreaterThan(1);
    expect(silent.failuresByKind).toEqual({ws_timeout: silent.requests});
    // Each waited its 0.3 s, give or take the timer: the sample is the wait.
    expect(silent.latencyMs.min).toBeGreaterThanOrEqual(295);
    expect(silent.latencyMs.max).toBeLessThan(600);
    expect(final.totals.failuresByKind).toMatchObject({ws_handshake_403: seen.refused, ws_closed: seen.serverCloses});
    expect(await allClosed()).toBe(0);
  }, 20_000);

  it('a handshake to a port nothing listens on is conn_refused, one the server never answers is timeout, both on the (connect) row', async () => {
    // A port that was just free (nothing listens on it now), and a server that takes connections and never answers.
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
  user('refused', {}, [task('refused', async ({ws, sleep}) => { await sleep(0.05); await ws.connect('ws://127.0.0.1:${closedPort}/ws', {name: 'WS refused'}); })]),
  user('mute', {}, [task('mute', async ({ws}) => { await ws.connect('ws://127.0.0.1:${mutePort}/ws', {name: 'WS mute', timeout: 0.3}); })]),
]});
`,
        2,
        1400,
      );
      expect(final.scriptErrors, JSON.stringify(final.scriptErrors)).toEqual([]);
      const refused = endpoint(final, 'WS refused (connect)');
      expect(refused.requests).toBeGreaterThan(2);
      expect(refused.failuresByKind).toEqual({conn_refused: refused.requests});
      const mute = endpoint(final, 'WS mute (connect)');
      expect(mute.failuresByKind).toEqual({timeout: mute.requests});
      // Every handshake the mute server took timed out: the last may be cut by the end of the run instead.
      expect(mute.requests).toBeGreaterThanOrEqual(held.length - 1);
      expect(mute.requests).toBeLessThanOrEqual(held.length);
      expect(mute.latencyMs.min).toBeGreaterThanOrEqual(295);
      expect(mute.latencyMs.max).toBeLessThan(700);
      // No socket opened, so no round-trip rows and none counted open.
      expect(final.endpoints.map((e) => e.key).sort()).toEqual(['WS mute (connect)', 'WS refused (connect)']);
      expect(final.connections.sockets?.opened ?? 0).toBe(0);
      expect(final.totals.failuresByKind).toEqual({conn_refused: refused.requests, timeout: mute.requests});
    } finally {
      for (const s of held) s.destroy();
      await new Promise((r) => mute.close(r));
    }
  }, 20_000);

  it("a script's mistakes (next() after its own close, send() on it) are script errors with file:line", async () => {
    reset();
    const final = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {}, [
  task('read after close', async ({ws, sleep}) => {
    const sock = await ws.connect('/ws/echo');
    sock.close();
    await sleep(0.1);
    await sock.next();
  }),
  task('send after close', async ({ws, sleep}) => {
    const sock = await ws.connect('/ws/echo');
    sock.close();
    await sleep(0.1);
    sock.send('late');
  }),
  task('two reads at once', async ({ws}) => {
    const sock = await ws.connect('/ws/echo');
    try {
      await Promise.all([sock.next({timeout: 0.2}), sock.next({timeout: 0.2})]);
    } finally {
      sock.close();
    }
  }),
])]});
`,
      2,
      900,
    );
    const read = scriptErrors(final, 'read after close');
    const send = scriptErrors(final, 'send after close');
    expect(read.length).toBeGreaterThan(0);
    expect(send.length).toBeGreaterThan(0);
    for (const e of read) {
      expect(e.where).toBe('scenario.ts:7');
      expect(e.message).toMatch(/next\(\) on WS \/ws\/echo, which the script closed/);
    }
    for (const e of send) {
      expect(e.where).toBe('scenario.ts:13');
      expect(e.message).toMatch(/send\(\) on WS \/ws\/echo, which the script closed/);
    }
    const twice = scriptErrors(final, 'two reads at once');
    expect(twice.length).toBeGreaterThan(0);
    for (const e of twice) {
      expect(e.where).toBe('scenario.ts:18');
      expect(e.message).toMatch(/WS \/ws\/echo: next\(\) while another next\(\) on it is waiting \(a missing await\?\)/);
    }
    expect(final.totals.failures).toBe(0);
    expect(await allClosed()).toBe(0);
  }, 20_000);

  it('open sockets are counted live, users stepping down close theirs, and the end of the run closes the rest', async () => {
    reset();
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
export default scenario({users: [user('holder', {
  onStart: async ({ws, vars}) => { vars.sock = await ws.connect('/ws/echo', {name: 'WS hold'}); },
}, [
  task(async ({vars, sleep}) => { vars.sock.send('ping'); await vars.sock.next(); await sleep(0.05); }),
])]});
`);
    const engine = new Engine({workload: sc.workload, host: url, workers: 2, intervalMs: 200, timeoutMs: 5000});
    const states: RunState[] = [];
    try {
      await engine.start();
      engine.onState((s) => states.push(s));
      engine.setUsers(6);
      await sleep(1000);
      const atSix = engine.state.connections.sockets;
      const probedSix = (await engine.probe()).reduce((n, p) => n + sockets(p), 0);
      engine.setUsers(2);
      await sleep(800);
      const atTwo = engine.state.connections.sockets;
      const probedTwo = (await engine.probe()).reduce((n, p) => n + sockets(p), 0);
      const closedOnStepDown = seen.closes.filter((c) => c.code === 1001).length;
      const final = await engine.stop();

      expect(atSix?.open).toBe(6);
      expect(atTwo?.open).toBe(2);
      expect(closedOnStepDown).toBe(4);
      // A worker holds a socket a user's WebSocket (and none left over): 6, then 2.
      expect(probedSix).toBe(6);
      expect(probedTwo).toBe(2);
      expect(final.connections.sockets).toEqual({open: 0, peak: 6, opened: 6});
      expect(Math.max(...states.map((s) => s.series.at(-1)?.sockets ?? 0))).toBe(6);
      expect(await allClosed()).toBe(0);
      expect(seen.closes).toHaveLength(6);
      expect(seen.closes.every((c) => c.code === 1001)).toBe(true);
      expect(endpoint(final, 'WS hold').requests).toBe(seen.echoed);
      expect(final.totals.failures).toBe(0);
    } finally {
      sc.cleanup();
    }
  }, 20_000);

  it('a task that fails closes the sockets it opened (no leak a failed run), not those the user held before it', async () => {
    reset();
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, seen.open)), 5);
    try {
      const final = await runScenario(
        `import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {
  onStart: async ({ws, vars}) => { vars.kept = await ws.connect('/ws/echo', {name: 'WS kept'}); },
}, [
  task(async ({ws, vars}) => {
    vars.kept.send('still here');
    await vars.kept.next();
    const sock = await ws.connect('/ws/silent', {name: 'WS silent'});
    sock.send('anyone?');
    await sock.next({timeout: 0.1});
  }),
])]});
`,
        1,
        1500,
      );
      const silent = endpoint(final, 'WS silent');
      expect(silent.failuresByKind).toEqual({ws_timeout: silent.requests});
      const runs = silent.requests;
      expect(runs).toBeGreaterThan(4);
      // One socket kept from onStart, and at most the failing task's own: never one more a failed run.
      expect(most).toBeLessThanOrEqual(2);
      expect(final.connections.sockets?.peak).toBeLessThanOrEqual(2);
      expect(final.connections.sockets?.opened).toBe(runs + 1);
      // The kept socket served every run: its echoes are the server's, and nothing else failed.
      expect(endpoint(final, 'WS kept').requests).toBe(seen.echoed);
      expect(endpoint(final, 'WS kept').failures).toBe(0);
      expect(seen.echoed).toBeGreaterThanOrEqual(runs);
      expect(final.scriptErrors).toEqual([]);
      expect(await allClosed()).toBe(0);
    } finally {
      clearInterval(watch);
    }
  }, 20_000);

  it('a socket whose handshake ends after the user was asked to stop is closed at once (1001), not counted as opened', async () => {
    reset();
    const final = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', [
  task(async ({ws}) => {
    const sock = await ws.connect('/ws/slow', {name: 'WS slow'});
    sock.send('never sent: the user is stopping');
  }),
])]});
`,
      1,
      200,
    );
    expect(seen.accepted.map((a) => a.path)).toEqual(['/ws/slow']); // the one handshake, answered after the stop
    expect(endpoint(final, 'WS slow (connect)').requests).toBe(1); // counted, as the server saw it
    expect(final.connections.sockets?.opened ?? 0).toBe(0);
    expect(await allClosed()).toBe(0);
    expect(seen.closes).toEqual([{path: '/ws/slow', code: 1001}]);
    expect(seen.echoed).toBe(0);
    expect(final.scriptErrors).toEqual([]);
  }, 20_000);
});
