// Credentials stay with their origin: a redirect that leaves it (scheme, host or port) drops Authorization,
// Proxy-Authorization, Cookie, X-Api-Key and the --strip-header ones, in quick mode (-H) and in scenarios
// (http.bearer, http.setHeader, a request's headers), over both clients; a redirect within the origin keeps them.
// A scenario's cookie jar picks cookies per URL (RFC 6265): a cookie set by one host never goes to another.
// Three loopback servers: A (127.0.0.1), A' (127.0.0.1, another port) and B (127.0.0.2, another host).
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {Engine} from '../../source/engine/engine.js';
import type {Workload} from '../../source/protocol/messages.js';
import type {RunState} from '../../source/engine/run-state.js';
import {scenarioFile, sleep} from '../helpers/run.js';

interface Seen {
  readonly server: string;
  readonly path: string;
  readonly query: string;
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
}
const seen: Seen[] = [];
const urls: Record<'a' | 'aPort' | 'b', string> = {a: '', aPort: '', b: ''};
const open: Server[] = [];

async function start(name: keyof typeof urls, host: string): Promise<void> {
  const server = createServer((req, res) => {
    const [path, query = ''] = (req.url ?? '/').split('?');
    seen.push({server: name, path, query, method: req.method ?? '', headers: req.headers});
    req.resume();
    const to = (status: number, location: string) => {
      res.writeHead(status, {location, 'content-length': '0'});
      res.end();
    };
    const tag = query ? `?${query}` : '';
    switch (path) {
      case '/same':
        return to(302, `/landing${tag}`);
      case '/cross':
        return to(307, `${urls.b}/landing${tag}`);
      case '/cross-port':
        return to(302, `${urls.aPort}/landing${tag}`);
      case '/round':
        return to(302, `${urls.b}/back${tag}`);
      case '/back':
        return to(302, `${urls.a}/landing${tag}`);
      case '/login':
        res.setHeader('set-cookie', 'sid=s1; Path=/');
        return res.end('in');
      default:
        return res.end('ok');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  urls[name] = `http://${host}:${(server.address() as AddressInfo).port}`;
  open.push(server);
}

beforeAll(async () => {
  await start('a', '127.0.0.1');
  await start('aPort', '127.0.0.1');
  await start('b', '127.0.0.2');
});
afterAll(async () => {
  for (const s of open) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function runFor(workload: Workload, users: number, durationMs: number): Promise<RunState> {
  const engine = new Engine({
    workload,
    host: urls.a,
    workers: 1,
    intervalMs: 250,
    timeoutMs: 3000,
    safety: {allowPublic: false, stripHeaders: ['X-Custom']},
  });
  await engine.start();
  engine.setUsers(users);
  await sleep(durationMs);
  return engine.stop();
}

/** The landing requests of a run, tagged by the query it carried. */
const landings = (tag: string) => seen.filter((r) => r.path === '/landing' && r.query === tag);

const CREDENTIALS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-custom'];

describe('quick mode: -H credentials stay with their origin', () => {
  const headers = {
    authorization: 'Bearer t',
    'proxy-authorization': 'Basic p',
    cookie: 'manual=1',
    'x-api-key': 'k',
    'x-custom': 'c',
    accept: 'text/plain',
  };
  for (const path of ['h1', 'undici'] as const) {
    it(`over ${path}: kept on a redirect within the origin, dropped on one to another host or port`, async () => {
      const extra: Record<string, string> = path === 'undici' ? {connection: 'keep-alive'} : {};
      for (const [route, tag] of [
        ['/same', `q-same-${path}`],
        ['/cross', `q-cross-${path}`],
        ['/cross-port', `q-port-${path}`],
      ]) {
        const final = await runFor({kind: 'quick', method: 'GET', path: `${route}?${tag}`, headers: {...headers, ...extra}}, 1, 300);
        const [e] = final.endpoints;
        expect(e.failures, route).toBe(0);
        expect(e.redirects?.count, route).toBe(e.requests);
        const got = landings(tag);
        expect(got.length, route).toBe(e.requests);
        for (const r of got) {
          expect(r.headers.accept).toBe('text/plain');
          if (route === '/same') {
            expect(r.server).toBe('a');
            for (const h of CREDENTIALS) expect(r.headers[h], h).toBe(headers[h as keyof typeof headers]);
          } else {
            expect(r.server).toBe(route === '/cross' ? 'b' : 'aPort');
            for (const h of CREDENTIALS) expect(r.headers[h], `${route} ${h}`).toBeUndefined();
            expect(r.headers.host).toBe(new URL(route === '/cross' ? urls.b : urls.aPort).host);
          }
        }
      }
    });
  }
});

describe('a scenario: credentials and cookies after a redirect', () => {
  it('keeps bearer, set and per-request headers within the origin, drops them elsewhere for good; the jar goes by host', async () => {
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {
  headers: {'Proxy-Authorization': 'Basic p'},
  async onStart({http}) {
    await http.post('/login');
    http.bearer('tok');
    http.setHeader('X-Api-Key', 'k');
  },
}, [
  task(async ({http, userId}) => {
    const via = userId === 0 ? 'h1' : 'undici';
    const own = {'x-custom': 'c', accept: 'text/plain', ...(via === 'undici' ? {connection: 'keep-alive'} : {})};
    await http.get('/same?s-same-' + via, {headers: own});
    await http.get('/cross?s-cross-' + via, {headers: own});
    await http.get('/cross-port?s-port-' + via, {headers: own});
    await http.get('/round?s-round-' + via, {headers: own});
    await http.get('/same?s-manual-' + via, {headers: {...own, cookie: 'manual=1'}});
    await http.get('/cross?s-manualx-' + via, {headers: {...own, cookie: 'manual=1'}});
  }),
])]});
`);
    let final: RunState;
    try {
      final = await runFor(sc.workload, 2, 600);
    } finally {
      sc.cleanup();
    }
    expect(final.totals.failures, JSON.stringify(final.totals.failuresByKind)).toBe(0);
    for (const via of ['h1', 'undici']) {
      const one = (tag: string) => {
        const got = landings(`${tag}-${via}`);
        expect(got.length, `${tag}-${via}`).toBeGreaterThan(0);
        return got;
      };
      for (const r of one('s-same')) {
        expect(r.server).toBe('a');
        expect(r.headers).toMatchObject({
          authorization: 'Bearer tok',
          'proxy-authorization': 'Basic p',
          'x-api-key': 'k',
          'x-custom': 'c',
          cookie: 'sid=s1',
        });
      }
      // Another host: no credential header, and the jar has no cookie for it.
      for (const r of one('s-cross')) {
        expect(r.server).toBe('b');
        for (const h of CREDENTIALS) expect(r.headers[h], `cross ${via} ${h}`).toBeUndefined();
        expect(r.headers.accept).toBe('text/plain');
      }
      // Another port of the same host: the headers stay behind; the jar's cookie goes, as RFC 6265 cookies do not
      // keep to a port (a browser sends it too).
      for (const r of one('s-port')) {
        expect(r.server).toBe('aPort');
        for (const h of ['authorization', 'proxy-authorization', 'x-api-key', 'x-custom'])
          expect(r.headers[h], `port ${via} ${h}`).toBeUndefined();
        expect(r.headers.cookie).toBe('sid=s1');
      }
      // A → B → A: once dropped, the headers stay dropped (as fetch does); the jar still gives A its cookie.
      for (const r of one('s-round')) {
        expect(r.server).toBe('a');
        for (const h of ['authorization', 'proxy-authorization', 'x-api-key', 'x-custom'])
          expect(r.headers[h], `round ${via} ${h}`).toBeUndefined();
        expect(r.headers.cookie).toBe('sid=s1');
      }
      // A Cookie header set by hand goes with the jar's within the origin, and neither goes to another host.
      for (const r of one('s-manual')) expect(r.headers.cookie).toBe('manual=1; sid=s1');
      for (const r of one('s-manualx')) expect(r.headers.cookie).toBeUndefined();
    }
  }, 30_000);
});
