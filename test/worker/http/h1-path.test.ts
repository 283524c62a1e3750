// Scenario mode sends plain-http requests over its own HTTP/1.1 client (h1), and the rest through undici.
// The two must be indistinguishable: the same scenario, run once each way, must put the same requests on
// the wire (as the server parsed them) and show the script the same responses.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFaultServer, type FaultServer} from '../../helpers/fault-server.js';
import {run, scenarioFile} from '../../helpers/run.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
  server.route('/mirror/*', (req, res, seen) => {
    res.setHeader('x-multi', ['a', 'b']);
    res.setHeader('set-cookie', ['deep=1; Path=/mirror/deep', 'top=1; Path=/']);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({method: req.method, url: req.url, body: seen.body.toString('base64')}));
  });
  server.route('/nocontent', (_req, res) => {
    res.statusCode = 204;
    res.end();
  });
  server.route('/chunked', (_req, res) => {
    res.write('one,');
    setTimeout(() => res.end('two'), 5);
  });
});
afterAll(async () => {
  await server.close();
});

const SCENARIO = `import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {
  onStart: async ({http}) => { http.setHeader('X-Default', 'd'); http.setHeader('Accept', 'application/json'); },
}, [
  task(async ({http}) => {
    const log: unknown[] = [];
    const note = (res: any) => log.push({status: res.status, url: res.url, multi: res.headers['x-multi'], type: res.headers['content-type'],
      cookies: res.headers['set-cookie'], text: res.text(), failed: res.failed});
    note(await http.get('/mirror/a?x=1&y=%20z', {headers: {'X-Extra': 'e', 'x-default': 'override'}}));
    note(await http.post('/mirror/b', {json: {a: 1, s: 'ünïcode'}}));
    note(await http.put('/mirror/c'));
    note(await http.get('/mirror/deep/x'));
    note(await http.get('/mirror/shallow', {query: {q: 'a b', n: 2}}));
    note(await http.head('/mirror/h'));
    note(await http.get('/nocontent'));
    note(await http.get('/redirect'));
    note(await http.post('/mirror/f', {form: {q: 'a b&c'}}));
    note(await http.get('/mirror/ü space'));
    note(await http.get('/mirror/./dot/../e'));
    note(await http.delete('/mirror/g', {body: 'raw bytes', headers: {'content-type': 'text/plain'}}));
    note(await http.get('/chunked'));
    note(await http.get('/status/503'));
    note(await http.get('/mirror/last', {check: (r) => r.json().method === 'GET' || 'wrong method'}));
    await http.post('/report', {json: log});
  }),
])]});
`;

/** One run of the scenario with one user; the first iteration's requests (as the server saw them) and the script's log. */
async function once(lean: boolean) {
  const sc = await scenarioFile(SCENARIO);
  const before = server.requests.length;
  const connectionsBefore = server.connections;
  let opened = 0;
  const previous = process.env.BRINK_LEAN_HTTP;
  process.env.BRINK_LEAN_HTTP = lean ? '1' : '0';
  try {
    const {final} = await run({workload: sc.workload, host: server.url, users: 1, durationMs: 700});
    opened = final.connections.opened;
  } finally {
    if (previous === undefined) delete process.env.BRINK_LEAN_HTTP;
    else process.env.BRINK_LEAN_HTTP = previous;
    sc.cleanup();
  }
  const seen = server.requests.slice(before);
  const end = seen.findIndex((r) => r.path === '/report');
  expect(end, 'one whole iteration ran').toBeGreaterThan(0);
  // Header order and connection management may differ; what each header says may not.
  const wire = seen.slice(0, end).map((r) => ({
    method: r.method,
    path: r.path,
    query: r.query.toString(),
    body: r.body.toString('base64'),
    headers: Object.entries(r.headers)
      .filter(([k]) => k !== 'connection')
      .sort(([a], [b]) => a.localeCompare(b)),
  }));
  return {wire, log: JSON.parse(seen[end].body.toString('utf8')), opened, accepted: server.connections - connectionsBefore};
}

describe('the h1 client and undici', () => {
  it('put the same requests on the wire and give the script the same responses', async () => {
    const lean = await once(true);
    const undici = await once(false);
    expect(lean.wire).toEqual(undici.wire);
    expect(lean.log).toEqual(undici.log);
    // Both count the connections they open as the server counted them (undici's through a timed connector).
    for (const path of [lean, undici]) {
      expect(path.opened).toBeGreaterThan(0);
      expect(path.opened).toBe(path.accepted);
    }
    // And what they agree on is right (not merely equal).
    const first = lean.wire[0];
    expect(first.headers).toEqual(
      expect.arrayContaining([
        ['x-default', 'override'],
        ['x-extra', 'e'],
        ['accept', 'application/json'],
      ]),
    );
    expect(lean.wire.find((r) => r.path === '/mirror/deep/x')!.headers).toContainEqual(['cookie', 'deep=1; top=1']);
    expect(lean.wire.find((r) => r.path === '/mirror/shallow')!.headers).toContainEqual(['cookie', 'top=1']);
    expect(lean.wire.find((r) => r.path === '/landing')!.headers).toContainEqual(['cookie', 'top=1; hop=1']);
    expect(lean.wire.find((r) => r.path === '/mirror/c')!.headers).toContainEqual(['content-length', '0']);
    expect(lean.wire.find((r) => r.method === 'DELETE')!.body).toBe(Buffer.from('raw bytes').toString('base64'));
    expect(lean.wire.map((r) => r.path)).toContain('/mirror/%C3%BC%20space');
    expect(lean.wire.map((r) => r.path)).toContain('/mirror/e');
    const byUrl = (suffix: string) => lean.log.find((l: {url: string}) => l.url.endsWith(suffix));
    expect(byUrl('/mirror/a?x=1&y=%20z')).toMatchObject({
      status: 200,
      multi: ['a', 'b'],
      cookies: ['deep=1; Path=/mirror/deep', 'top=1; Path=/'],
      failed: false,
    });
    expect(byUrl('/mirror/h')).toMatchObject({status: 200, text: ''});
    expect(byUrl('/nocontent')).toMatchObject({status: 204, text: ''});
    expect(byUrl('/landing')).toMatchObject({status: 200, text: 'landed'});
    expect(byUrl('/chunked')).toMatchObject({status: 200, text: 'one,two'});
    expect(byUrl('/status/503')).toMatchObject({status: 503, failed: true});
    expect(byUrl('/mirror/last')).toMatchObject({status: 200, failed: false});
  });
});
