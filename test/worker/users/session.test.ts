// What a virtual user's HTTP session sends: cookies, auth, redirects, bodies. The server is the judge.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cookieOf, parseBody, startFaultServer, type FaultServer, type SeenRequest} from '../../helpers/fault-server.js';
import {endpoint, run, scenarioFile, scriptErrors} from '../../helpers/run.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.close();
});

async function runScenario(source: string, users: number, durationMs = 800) {
  const sc = await scenarioFile(source);
  const before = server.requests.length;
  try {
    const {final} = await run({workload: sc.workload, host: server.url, workers: 2, users, durationMs});
    return {final, seen: server.requests.slice(before)};
  } finally {
    sc.cleanup();
  }
}

const byPath = (seen: SeenRequest[], path: string) => seen.filter((r) => r.path === path);

describe('cookies', () => {
  it('a user keeps its session cookie across requests; each user has its own', async () => {
    const {final, seen} = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {
  onStart: async ({http, vars}) => { vars.session = (await http.post('/login')).json().session; },
  onStop: async ({http, userId}) => { await http.post('/ok', {name: 'logout', query: {logout: userId}}); },
}, [
  task(async ({http, userId, vars}) => {
    await http.get('/whoami', {query: {user: userId}, headers: {'x-expected': vars.session, 'x-jar': http.cookie('session') ?? 'none'}});
  }),
])]});
`,
      4,
    );
    const logins = byPath(seen, '/login');
    const whoami = byPath(seen, '/whoami');
    expect(logins).toHaveLength(4); // one per user, no retries
    expect(whoami.length).toBeGreaterThan(20);
    const sessionsByUser = new Map<string, Set<string>>();
    for (const r of whoami) {
      const session = cookieOf(r.headers.cookie, 'session');
      expect(session, 'every request after login carries the cookie').toBeDefined();
      expect(session).toBe(r.headers['x-expected']); // the cookie the server set for this very user
      expect(r.headers['x-jar']).toBe(session); // http.cookie() reads the same jar
      const user = r.query.get('user')!;
      if (!sessionsByUser.has(user)) sessionsByUser.set(user, new Set());
      sessionsByUser.get(user)!.add(session!);
    }
    expect([...sessionsByUser.keys()].sort()).toEqual(['0', '1', '2', '3']);
    for (const s of sessionsByUser.values()) expect(s.size).toBe(1);
    const all = [...sessionsByUser.values()].map((s) => [...s][0]);
    expect(new Set(all).size).toBe(4);
    expect(final.totals.failures).toBe(0);
    expect(endpoint(final, 'GET /whoami').requests).toBe(whoami.length);
    // onStop ran once per user when the run stopped, still with the user's cookie.
    const logouts = seen.filter((r) => r.path === '/ok' && r.query.has('logout'));
    expect(logouts.map((r) => r.query.get('logout')).sort()).toEqual(['0', '1', '2', '3']);
    for (const r of logouts) expect(cookieOf(r.headers.cookie, 'session')).toBe([...sessionsByUser.get(r.query.get('logout')!)!][0]);
    expect(endpoint(final, 'POST logout').requests).toBe(4);
  });

  it('clearCookies() forgets them', async () => {
    const {seen} = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {}, [
  task(async ({http}) => {
    await http.post('/login');
    await http.get('/whoami', {query: {phase: 'in'}});
    http.clearCookies();
    await http.get('/whoami', {query: {phase: 'out'}});
  }),
])]});
`,
      1,
      400,
    );
    const whoami = byPath(seen, '/whoami');
    expect(whoami.length).toBeGreaterThan(2);
    for (const r of whoami) {
      if (r.query.get('phase') === 'in') expect(cookieOf(r.headers.cookie, 'session')).toBeDefined();
      else expect(r.headers.cookie).toBeUndefined();
    }
  });
});

describe('headers', () => {
  it('http.bearer(token) sends Authorization on every later request, bearer(undefined) stops it', async () => {
    const {seen} = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {
  headers: {'X-User-Type': 'api'},
  onStart: async ({http, userId}) => { http.bearer('tok-' + userId); },
}, [
  task(async ({http, userId}) => {
    await http.get('/ok', {query: {user: userId, auth: 'yes'}});
    http.bearer(undefined);
    await http.get('/ok', {query: {user: userId, auth: 'no'}});
    http.bearer('tok-' + userId);
  }),
])]});
`,
      3,
      500,
    );
    const ok = byPath(seen, '/ok');
    expect(ok.length).toBeGreaterThan(6);
    for (const r of ok) {
      if (r.query.get('auth') === 'yes') expect(r.headers.authorization).toBe(`Bearer tok-${r.query.get('user')}`);
      else expect(r.headers.authorization).toBeUndefined();
      expect(r.headers['x-user-type']).toBe('api'); // user type headers on every request
    }
  });
});

describe('redirects', () => {
  beforeAll(() => {
    server.route('/loop', (_req, res) => {
      res.writeHead(302, {location: '/loop'});
      res.end();
    });
  });

  it('are followed by default, keeping cookies set on the way; not with redirect: false', async () => {
    const {final, seen} = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {}, [
  task(async ({http}) => {
    http.clearCookies();
    const res = await http.get('/redirect');
    res.check(res.status === 200 && res.url.endsWith('/landing') && res.text() === 'landed', 'not followed: ' + res.status + ' ' + res.url);
  }),
  task(async ({http}) => {
    http.clearCookies();
    const res = await http.get('/redirect', {name: 'no-follow', redirect: false});
    res.check(res.status === 302 && res.headers.location === '/landing', 'followed: ' + res.status);
  }),
  task(async ({http}) => { await http.get('/loop'); }),
])]});
`,
      2,
      1500,
    ); // long enough that each of the three tasks runs a few times even on a busy machine
    const followed = endpoint(final, 'GET /redirect');
    const notFollowed = endpoint(final, 'GET no-follow');
    const loop = endpoint(final, 'GET /loop');
    expect(followed.failures + notFollowed.failures).toBe(0);
    // A redirect loop ends after 10 redirects: 11 requests on the wire, one too_many_redirects in brink.
    expect(loop.requests).toBeGreaterThan(0);
    expect(loop.failuresByKind).toEqual({too_many_redirects: loop.requests});
    expect(byPath(seen, '/loop')).toHaveLength(11 * loop.requests);
    expect(final.totals.failures).toBe(loop.requests);
    expect(followed.requests).toBeGreaterThan(2);
    expect(notFollowed.requests).toBeGreaterThan(2);
    expect(followed.statusCodes).toEqual({200: followed.requests}); // the final hop's status
    expect(notFollowed.statusCodes).toEqual({302: notFollowed.requests});
    // One brink request per redirect chain: the server saw both hops of a followed one, one hop otherwise.
    expect(byPath(seen, '/redirect')).toHaveLength(followed.requests + notFollowed.requests);
    const landings = byPath(seen, '/landing');
    expect(landings).toHaveLength(followed.requests);
    // Cookies were cleared before each chain, so hop=1 on /landing came from the 302 itself.
    for (const r of landings) expect(cookieOf(r.headers.cookie, 'hop')).toBe('1');
  });
});

describe('bodies', () => {
  it('json, form and multipart bodies arrive as sent', async () => {
    const {final, seen} = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {}, [
  task(async ({http}) => {
    await http.post('/echo', {name: 'json', json: {a: 1, nested: {list: [1, 'two', null]}, text: 'héllo ✓'}});
    await http.put('/echo', {name: 'form', form: {q: 'a b&c=d', n: 42, yes: true}});
    await http.post('/echo', {name: 'multipart', multipart: {
      field: 'value',
      many: ['x', 'y'],
      upload: {filename: 'hello.txt', data: 'file contents ✓', contentType: 'text/plain'},
      bytes: {filename: 'b.bin', data: new Uint8Array([104, 105])},
    }});
    await http.patch('/echo', {name: 'raw', body: 'raw text', headers: {'Content-Type': 'text/x-custom'}});
  }),
])]});
`,
      1,
      400,
    );
    expect(final.totals.failures).toBe(0);
    const echo = byPath(seen, '/echo');
    expect(echo.length).toBeGreaterThanOrEqual(4);
    const parsed = await Promise.all(echo.map(async (r) => ({method: r.method, ...(await parseBody(r.headers['content-type'], r.body))})));
    const json = parsed.filter((p) => p.type === 'json');
    const form = parsed.filter((p) => p.type === 'form');
    const multipart = parsed.filter((p) => p.type === 'multipart');
    const raw = parsed.filter((p) => p.type === 'text/x-custom');
    expect(json.length).toBe(endpoint(final, 'POST json').requests);
    expect(form.length).toBe(endpoint(final, 'PUT form').requests);
    expect(multipart.length).toBe(endpoint(final, 'POST multipart').requests);
    expect(raw.length).toBe(endpoint(final, 'PATCH raw').requests);
    expect(json.length + form.length + multipart.length + raw.length).toBe(echo.length);
    for (const p of json)
      expect(p).toEqual({method: 'POST', type: 'json', value: {a: 1, nested: {list: [1, 'two', null]}, text: 'héllo ✓'}});
    for (const p of form) expect(p).toEqual({method: 'PUT', type: 'form', value: {q: 'a b&c=d', n: '42', yes: 'true'}});
    for (const p of raw) expect(p).toEqual({method: 'PATCH', type: 'text/x-custom', value: 'raw text'});
    for (const p of multipart) {
      expect(p.method).toBe('POST');
      expect(p.value).toMatchObject({
        field: 'value',
        many: 'y', // the last of a repeated field in a plain object; both were sent:
        upload: {filename: 'hello.txt', type: 'text/plain', text: 'file contents ✓'},
        bytes: {filename: 'b.bin', type: 'application/octet-stream', text: 'hi'},
      });
    }
    const oneMultipart = echo.find((r) => (r.headers['content-type'] ?? '').startsWith('multipart/'))!;
    const form2 = await new Request('http://x/', {
      method: 'POST',
      headers: {'content-type': oneMultipart.headers['content-type']!},
      body: new Uint8Array(oneMultipart.body),
    }).formData();
    expect(form2.getAll('many')).toEqual(['x', 'y']);
  });
});

describe('a request the script got wrong', () => {
  it('an expect that is not a status code is a script error with its line, and nothing is sent', async () => {
    // Plain JavaScript in a scenario is not type-checked: `expect` can be anything.
    const {final, seen} = await runScenario(
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', [
  task('wrong', ({http}) => http.get('/never', {expect: {status: 200} as any})),
  task('right', ({http}) => http.get('/ok', {expect: [200]})),
])]});
`,
      2,
    );
    expect(byPath(seen, '/never')).toHaveLength(0);
    expect(byPath(seen, '/ok').length).toBe(endpoint(final, 'GET /ok').requests);
    expect(endpoint(final, 'GET /ok').requests).toBeGreaterThan(0);
    const wrong = scriptErrors(final, 'wrong');
    expect(wrong.length).toBe(1);
    expect(wrong[0].where).toBe('scenario.ts:3');
    expect(wrong[0].message).toBe('expect: a status code or a list of them (expect: 200, expect: [200, 404]), not {"status":200}');
    expect(final.totals.requests).toBe(endpoint(final, 'GET /ok').requests);
  });
});
