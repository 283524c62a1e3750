// Each fault the server injects lands in the right failure kind, with the counts the server saw.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {freePort, startFaultServer, type FaultServer} from '../helpers/fault-server.js';
import {endpoint, run, scenarioFile, scriptErrors} from '../helpers/run.js';
import type {RunState} from '../../source/engine/run-state.js';

let server: FaultServer;
let refusedPort: number;
beforeAll(async () => {
  server = await startFaultServer();
  refusedPort = await freePort();
});
afterAll(async () => {
  await server.close();
});

const kinds = (state: RunState, key: string) => endpoint(state, key).failuresByKind;

describe('scenario mode faults', () => {
  let final: RunState;
  let source: string;
  let serverCounts: Map<string, number>;

  beforeAll(async () => {
    source = `import {scenario, user, task} from 'brink';
export default scenario({users: [user('f', {}, [
  task(1, 's500', async ({http}) => { await http.get('/status/500'); }),
  task(1, 's503', async ({http}) => { await http.get('/status/503'); }),
  task(1, 's429', async ({http}) => { await http.get('/status/429'); }),
  task(1, 'reset', async ({http}) => { await http.get('/reset'); }),
  task(1, 'reset-mid', async ({http}) => { await http.get('/reset-mid'); }),
  task(1, 'refused', async ({http}) => { await http.get('http://127.0.0.1:${refusedPort}/refused'); }),
  task(1, 'slow', async ({http}) => { await http.get('/slow?ms=1000', {timeout: 0.2}); }),
  task(1, 'check-call', async ({http}) => {
    const res = await http.get('/ok', {name: 'check-call'});
    res.check(res.text() === 'not ok', 'body was not ready');
  }),
  task(1, 'check-option', async ({http}) => {
    await http.get('/items/7', {name: 'check-option', check: (r) => r.json().id === '8' || 'wrong id ' + r.json().id});
  }),
  task(1, 'check-throws', async ({http}) => {
    await http.get('/items/9', {name: 'check-throws', check: (r) => r.json().missing.deeper});
  }),
  task(1, 'expected-404', async ({http}) => { await http.get('/status/404', {expect: 404}); }),
  task(1, 'plain-404', async ({http}) => { await http.get('/status/404?plain=1', {name: 'plain-404'}); }),
  task(1, 'thrower', async ({http}) => {
    await http.get('/ok', {name: 'before-throw'});
    throw new Error('kaput'); // THROW LINE
  }),
  task(1, 'not-json', async ({http}) => { (await http.get('/ok', {name: 'text-body'})).json(); }),
  task(1, 'json-after-reset', async ({http}) => { (await http.get('/reset', {name: 'reset-json'})).json(); }),
  task(1, 'redirected', async ({http}) => { await http.get('/redirect?next=%2Fsecret', {name: 'GET /redirect'}); }),
])]});
`;
    const sc = await scenarioFile(source, 'faults.scenario.ts');
    try {
      ({final} = await run({workload: sc.workload, host: server.url, workers: 2, users: 6, durationMs: 2000}));
      serverCounts = server.counts();
    } finally {
      sc.cleanup();
    }
  }, 30_000);

  it('every endpoint ran often enough to mean something', () => {
    for (const e of final.endpoints) expect(e.requests, e.key).toBeGreaterThanOrEqual(2);
  });

  it('500, 503 and 429 are http_500, http_503 and http_429, counted as the server answered them', () => {
    for (const code of [500, 503, 429]) {
      const e = endpoint(final, `GET /status/${code}`);
      expect(e.failuresByKind).toEqual({[`http_${code}`]: e.requests});
      expect(e.failures).toBe(e.requests);
      expect(e.statusCodes).toEqual({[code]: e.requests});
      expect(e.requests).toBe(serverCounts.get(`GET /status/${code}`));
      // The sample keeps the start of what the server answered: what a 500 page says broke.
      expect(e.errors).toEqual([{kind: `http_${code}`, message: `HTTP ${code}`, count: e.requests, body: `status ${code}`}]);
    }
    expect(final.totals.failuresByKind.http_500).toBe(endpoint(final, 'GET /status/500').requests);
  });

  it('a socket destroyed before the response is socket_closed (undici: UND_ERR_SOCKET "other side closed")', () => {
    const e = endpoint(final, 'GET /reset');
    // undici reports the server closing a kept-alive socket as a SocketError, not ECONNRESET; conn_reset only
    // if the kernel answered with an RST, which a server that read the whole request does not cause.
    expect(e.failuresByKind).toEqual({socket_closed: e.requests});
    expect(e.errors[0]).toMatchObject({kind: 'socket_closed', message: 'UND_ERR_SOCKET: other side closed'});
    expect(e.statusCodes).toEqual({});
    expect(e.requests).toBe(serverCounts.get('GET /reset')! - endpoint(final, 'GET reset-json').requests);
  });

  it('a socket destroyed mid-body after 200 headers is socket_closed, not a success', () => {
    const e = endpoint(final, 'GET /reset-mid');
    expect(e.failuresByKind).toEqual({socket_closed: e.requests});
    expect(e.errors[0].message).toMatch(/other side closed/);
    expect(e.requests).toBe(serverCounts.get('GET /reset-mid'));
  });

  it('a port nobody listens on is conn_refused', () => {
    const e = endpoint(final, 'GET /refused');
    expect(e.failuresByKind).toEqual({conn_refused: e.requests});
    expect(e.errors[0].message).toContain(`ECONNREFUSED 127.0.0.1:${refusedPort}`);
    expect(serverCounts.get('GET /refused')).toBeUndefined();
  });

  it('a response slower than the request timeout is a timeout, after about the timeout', () => {
    const e = endpoint(final, 'GET /slow');
    expect(e.failuresByKind).toEqual({timeout: e.requests});
    expect(e.errors[0].message).toBe('no complete response within 200 ms');
    expect(e.latencyMs.p50).toBeGreaterThanOrEqual(190);
    // Short timeouts get an exact timer (undici's own clock ticks about every second): close to 200 ms, not 1000.
    expect(e.latencyMs.max).toBeLessThan(500);
    expect(e.requests).toBe(serverCounts.get('GET /slow'));
  });

  it('res.check(false, reason) is a check failure with the reason', () => {
    const e = endpoint(final, 'GET check-call');
    expect(e.failuresByKind).toEqual({check: e.requests});
    expect(e.statusCodes).toEqual({200: e.requests});
    expect(e.errors).toEqual([{kind: 'check', message: 'body was not ready', count: e.requests, body: 'ok'}]);
  });

  it('a check option returning a string fails with that string; one that throws fails with the error', () => {
    const option = endpoint(final, 'GET check-option');
    expect(option.failuresByKind).toEqual({check: option.requests});
    expect(option.errors).toEqual([{kind: 'check', message: 'wrong id 7', count: option.requests, body: '{"id":"7"}'}]);
    const throws = endpoint(final, 'GET check-throws');
    expect(throws.failuresByKind).toEqual({check: throws.requests});
    expect(throws.errors[0].message).toMatch(/^check threw: .*deeper/);
  });

  it('expect: 404 makes a 404 a success; without it a 404 is http_404', () => {
    const expected = endpoint(final, 'GET /status/404');
    expect(expected.failures).toBe(0);
    expect(expected.statusCodes).toEqual({404: expected.requests});
    const plain = endpoint(final, 'GET plain-404');
    expect(plain.failuresByKind).toEqual({http_404: plain.requests});
    expect(expected.requests + plain.requests).toBe(serverCounts.get('GET /status/404'));
  });

  it('a throwing task is a script error with the message and the scenario file:line, never a request', () => {
    const line = source.split('\n').findIndex((l) => l.includes('THROW LINE')) + 1;
    const e = scriptErrors(final, 'thrower');
    expect(e).toEqual([expect.objectContaining({task: 'thrower', where: `faults.scenario.ts:${line}`, message: 'kaput'})]);
    // The request before the throw succeeded and counts as such; the throw is no request at all.
    expect(endpoint(final, 'GET before-throw').failures).toBe(0);
    expect(endpoint(final, 'GET before-throw').requests).toBe(e[0].count);
    expect(final.endpoints.filter((x) => x.method === 'TASK')).toEqual([]);
  });

  it('json() of a non-JSON body is a script error; json() after a transport failure is not counted twice', () => {
    const notJson = scriptErrors(final, 'not-json');
    expect(notJson[0].message).toMatch(/response of GET text-body \(status 200\) is not JSON: "ok"/);
    expect(endpoint(final, 'GET text-body').failures).toBe(0);
    expect(scriptErrors(final, 'json-after-reset')).toEqual([]);
    expect(kinds(final, 'GET reset-json')).toEqual({socket_closed: endpoint(final, 'GET reset-json').requests});
  });

  it('script errors are counted apart: in totals.scriptErrors, in no request count, latency or failure', () => {
    expect(final.totals.scriptErrors).toBe(final.scriptErrors.reduce((n, e) => n + e.count, 0));
    expect(final.totals.scriptErrors).toBeGreaterThan(0);
    expect(final.totals.requests).toBe(final.endpoints.reduce((n, e) => n + e.requests, 0));
    expect(final.totals.latencyMs.min).toBeGreaterThan(0); // no 0 ms sample from a throw
    expect(final.totals.failuresByKind).not.toHaveProperty('script');
  });

  it('a redirected request is visible: how many were, and where the first hop sent them', () => {
    const e = endpoint(final, 'GET /redirect');
    expect(e.requests).toBe(serverCounts.get('GET /redirect'));
    expect(e.redirects).toEqual({count: e.requests, to: {'/landing': e.requests}});
    expect(e.requests).toBe(serverCounts.get('GET /landing'));
  });

  it('brink sent exactly what the server received, and the totals add up', () => {
    const serverTotal = [...serverCounts.values()].reduce((a, b) => a + b, 0);
    const httpRequests = final.endpoints.filter((e) => e.key !== 'GET /refused').reduce((n, e) => n + e.requests, 0);
    // A redirected request is one request of the scenario's, two for the server (the 302, then where it pointed).
    const hops = final.endpoints.reduce((n, e) => n + (e.redirects?.count ?? 0), 0);
    expect(hops).toBeGreaterThan(0);
    expect(httpRequests + hops).toBe(serverTotal);
    expect(final.totals.failures).toBe(final.endpoints.reduce((n, e) => n + e.failures, 0));
    const byKind = Object.values(final.totals.failuresByKind).reduce((a, b) => a + b, 0);
    expect(byKind).toBe(final.totals.failures);
  });
});

describe('a throwing task does not end its user', () => {
  it('the next tasks run', async () => {
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
export default scenario({users: [user('one', {}, [
  task(async ({http, vars}) => {
    vars.n = (vars.n ?? 0) + 1;
    await http.get('/ok?n=' + vars.n, {name: 'seq'});
    if (vars.n % 2 === 1) throw new Error('odd ' + 'turn');
  }),
])]});
`);
    try {
      const before = server.requests.length;
      const {final} = await run({workload: sc.workload, host: server.url, users: 1, durationMs: 600});
      const ns = server.requests
        .slice(before)
        .filter((r) => r.path === '/ok')
        .map((r) => Number(r.query.get('n')));
      expect(ns.length).toBeGreaterThan(4);
      expect(ns).toEqual(ns.map((_, i) => i + 1)); // 1, 2, 3… : one user that kept going after each throw
      const [script] = scriptErrors(final, 'one task 1');
      expect(script.count).toBe(ns.filter((n) => n % 2 === 1).length);
      expect(script.message).toBe('odd turn');
      expect(script.where).toMatch(/^scenario\.ts:\d+$/);
      expect(endpoint(final, 'GET seq').requests).toBe(ns.length);
    } finally {
      sc.cleanup();
    }
  });
});

describe('quick mode faults', () => {
  const quick = (path: string, host = server.url) =>
    run({workload: {kind: 'quick', method: 'GET', path, headers: {}}, host, users: 2, durationMs: 400});

  it('503 is http_503, counted as the server answered', async () => {
    const before = server.count('GET /status/503');
    const {final} = await quick('/status/503');
    const e = endpoint(final, 'GET /status/503');
    expect(e.requests).toBe(server.count('GET /status/503') - before);
    expect(e.failuresByKind).toEqual({http_503: e.requests});
  });

  it('a reset after the headers is socket_closed, not a success', async () => {
    const before = server.count('GET /reset-mid');
    const {final} = await quick('/reset-mid');
    const e = endpoint(final, 'GET /reset-mid');
    expect(e.requests).toBe(server.count('GET /reset-mid') - before);
    expect(e.requests).toBeGreaterThan(0);
    expect(e.failuresByKind).toEqual({socket_closed: e.requests});
  });

  it('a refused port is conn_refused', async () => {
    const {final} = await quick('/x', `http://127.0.0.1:${refusedPort}`);
    const e = endpoint(final, 'GET /x');
    expect(e.requests).toBeGreaterThan(0);
    expect(e.failuresByKind).toEqual({conn_refused: e.requests});
  });
});
