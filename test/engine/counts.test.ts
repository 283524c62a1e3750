// brink's per-endpoint counts against what a real server saw.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startFaultServer, type FaultServer} from '../helpers/fault-server.js';
import {brinkCounts, endpoint, run, scenarioFile} from '../helpers/run.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.close();
});

/** Server counts summed over paths that start with `prefix`, e.g. `GET /items/`. */
function serverSum(prefix: string): number {
  let n = 0;
  for (const [key, count] of server.counts()) if (key.startsWith(prefix)) n += count;
  return n;
}

describe('quick mode', () => {
  it('counts exactly the requests the server received (2 workers, 4 users)', async () => {
    const before = server.count('GET /ok');
    const {final} = await run({
      workload: {kind: 'quick', method: 'GET', path: '/ok', headers: {}},
      host: server.url,
      workers: 2,
      users: 4,
      durationMs: 1000,
    });
    const seen = server.count('GET /ok') - before;
    expect(seen).toBeGreaterThan(50);
    expect(brinkCounts(final)).toEqual({'GET /ok': seen});
    expect(final.totals.requests).toBe(seen);
    expect(final.totals.failures).toBe(0);
    expect(endpoint(final, 'GET /ok').statusCodes).toEqual({200: seen});
    // Every request lands in exactly one interval of the series.
    expect(final.series.reduce((n, p) => n + p.requests, 0)).toBe(seen);
    expect(final.endpoints[0].latencyMs.p50).toBeGreaterThan(0);
  });

  it('sends the method, headers and body as given, and names the endpoint without the query', async () => {
    const before = server.requests.length;
    const {final} = await run({
      workload: {
        kind: 'quick',
        method: 'POST',
        path: '/echo?source=quick',
        headers: {'content-type': 'application/json', 'x-test': 'yes'},
        body: '{"a":1}',
      },
      host: server.url,
      users: 2,
      durationMs: 500,
    });
    const seen = server.requests.slice(before);
    expect(seen.length).toBeGreaterThan(5);
    expect(brinkCounts(final)).toEqual({'POST /echo': seen.length});
    for (const r of seen) {
      expect(r.method).toBe('POST');
      expect(r.path).toBe('/echo');
      expect(r.query.get('source')).toBe('quick');
      expect(r.headers['x-test']).toBe('yes');
      expect(r.headers.host).toBe(new URL(server.url).host);
      expect(r.body.toString()).toBe('{"a":1}');
    }
  });
});

describe('scenario mode', () => {
  it('counts every named and unnamed endpoint as the server saw it', async () => {
    const sc = await scenarioFile(`
import {scenario, user, task, constant} from 'brink';
export default scenario({users: [
  user('browser', {weight: 3}, [
    task(3, 'item', async ({http, randomInt}) => { await http.get('/items/' + randomInt(1, 40), {name: 'GET /items/:id'}); }),
    task(2, 'search', async ({http, randomInt}) => { await http.get('/ok?q=' + randomInt(1, 1000)); }),
    task(1, 'paged', async ({http, randomInt}) => { await http.get('/ok', {query: {page: randomInt(1, 9)}}); }),
    task(1, 'p', async ({http, randomInt}) => { await http.get('/p/' + randomInt(1, 99), {name: '/p/:n'}); }),
  ]),
  user('writer', {weight: 1}, [
    task(async ({http, randomInt}) => {
      await http.post('/echo', {json: {n: randomInt(1, 9)}});
      await http.delete('/items/' + randomInt(1, 40), {name: 'DELETE /items/:id'});
    }),
  ]),
]});
`);
    try {
      const before = new Map(server.counts());
      const {final} = await run({workload: sc.workload, host: server.url, workers: 2, users: 8, durationMs: 1500});
      const delta = (prefix: string) =>
        serverSum(prefix) - [...before].filter(([k]) => k.startsWith(prefix)).reduce((n, [, c]) => n + c, 0);
      const counts = brinkCounts(final);
      expect(Object.keys(counts).sort()).toEqual(['DELETE /items/:id', 'GET /items/:id', 'GET /ok', 'GET /p/:n', 'POST /echo']);
      expect(counts['GET /items/:id']).toBe(delta('GET /items/'));
      expect(counts['DELETE /items/:id']).toBe(delta('DELETE /items/'));
      expect(counts['GET /ok']).toBe(delta('GET /ok'));
      expect(counts['GET /p/:n']).toBe(delta('GET /p/'));
      expect(counts['POST /echo']).toBe(delta('POST /echo'));
      for (const n of Object.values(counts)) expect(n).toBeGreaterThan(0);
      expect(final.totals.failures).toBe(0);
      expect(final.totals.requests).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
      // The user mix is 3:1 (6 browsers, 2 writers): browsers make most of the requests.
      expect(counts['GET /items/:id'] + counts['GET /ok'] + counts['GET /p/:n']).toBeGreaterThan(counts['POST /echo']);
      expect(endpoint(final, 'GET /items/:id')).toMatchObject({method: 'GET', name: '/items/:id'});
    } finally {
      sc.cleanup();
    }
  });
});
