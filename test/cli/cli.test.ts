// The command line as a user meets it: the built bin, real servers on loopback, exit codes and files.
import {afterEach, describe, expect, it} from 'vitest';
import {mkdtempSync, readFileSync, writeFileSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {countingServer, type CountingServer} from './counting-server.js';
import {runCli, startCli} from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'brink-cli-'));
let server: CountingServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

describe('quick mode', () => {
  it('counts what the server saw, per status, and writes the JSON summary', async () => {
    server = await countingServer((req, res) => {
      if (req.url?.includes('fail')) { res.statusCode = 503; res.end('busy'); return true; }
      return false;
    });
    const json = join(dir, 'quick.json');
    const r = await runCli([`${server.url}/hello?x=1`, '-c', '8', '-d', '1.5s', '--workers', '2', '--json', json]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary.totals.requests).toBe(server.counts.get('GET /hello'));
    expect(summary.totals.requests).toBeGreaterThan(100);
    expect(summary.totals.failures).toBe(0);
    expect(summary.endpoints).toHaveLength(1);
    expect(summary.endpoints[0]).toMatchObject({method: 'GET', name: '/hello', statusCodes: {200: summary.totals.requests}});
    for (const k of ['mean', 'p50', 'p90', 'p95', 'p99', 'max']) expect(summary.totals.latencyMs[k]).toBeGreaterThan(0);
    expect(summary.totals.latencyMs.p50).toBeLessThanOrEqual(summary.totals.latencyMs.p99);
    expect(r.stdout).toMatch(/GET \/hello\s+[\d,]+\s+0/);
  });

  it('sends the method, headers and body given, and counts 503s as http_503', async () => {
    const seen: string[] = [];
    server = await countingServer((req, res) => {
      seen.push(`${req.headers['x-token']}|${req.headers['content-type']}`);
      res.statusCode = 503;
      res.end();
      return true;
    });
    const json = join(dir, 'post.json');
    const r = await runCli([`${server.url}/orders`, '-m', 'POST', '-H', 'X-Token: abc', '-H', 'Content-Type: application/json', '--body', '{"a":1}', '-c', '2', '-d', '1s', '--workers', '1', '--json', json]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary.totals.requests).toBe(server.counts.get('POST /orders'));
    expect(summary.totals.failuresByKind).toEqual({http_503: summary.totals.requests});
    expect(new Set(seen)).toEqual(new Set(['abc|application/json']));
    expect(r.stdout).toContain('http_503');
  });
});

describe('usage errors: exit 2 and one line saying what to fix', () => {
  const cases: Array<[string[], RegExp]> = [
    [['http://127.0.0.1:1/', '-d', 'soon'], /-d\/--duration: 'soon' is not a duration/],
    [['http://127.0.0.1:1/', '-c', '0'], /-c\/--connections: '0' is not a whole number >= 1/],
    [['http://127.0.0.1:1/', '--bogus'], /unknown flag --bogus/],
    [['run'], /brink run needs a scenario file/],
    [['run', 'nope.ts', '--host', 'http://127.0.0.1:1'], /nope\.ts: no such scenario file/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['http://127.0.0.1:1/', '-m', 'FETCH'], /-m\/--method: 'FETCH' is not one of/],
  ];
  for (const [args, message] of cases) {
    it(`brink ${args.join(' ')}`, async () => {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }

  it('a scenario with a syntax error names file:line before any load starts', async () => {
    server = await countingServer();
    const file = join(dir, 'broken.ts');
    writeFileSync(file, `import {scenario, user, task} from 'brink';\nexport default scenario({users: [user('u', {}, [task(({http}) => http.get('/'))])]});\nconst x = ;\n`);
    const r = await runCli(['run', file, '--host', server.url, '-t', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.ts:3:\d+: .*Unexpected/);
    expect(server.total()).toBe(0);
  });

  it('a scenario that throws at load time names file:line', async () => {
    const file = join(dir, 'throws.ts');
    writeFileSync(file, `import {scenario, user, task} from 'brink';\n\nexport default scenario({users: [user('u', {weight: -1}, [task(() => {})])]});\n`);
    const r = await runCli(['run', file, '--host', 'http://127.0.0.1:1', '-t', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/throws\.ts:3: user 'u' weight must be a positive number/);
  });
});

describe('scenario runs', () => {
  it('runs a TypeScript scenario headless and its counts match the server', async () => {
    server = await countingServer();
    const file = join(dir, 'two.ts');
    writeFileSync(file, `import {scenario, user, task} from 'brink';
export default scenario({name: 'two pages', users: [user('reader', {}, [
  task(3, ({http, randomInt}) => http.get('/items/' + randomInt(1, 50), {name: 'GET /items/:id'})),
  task(1, ({http}) => http.get('/about?ref=x')),
])]});
`);
    const json = join(dir, 'two.json');
    const r = await runCli(['run', file, '--host', server.url, '-u', '4', '-r', '100', '-t', '1500ms', '--workers', '2', '--json', json]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    const byName = Object.fromEntries(summary.endpoints.map((e: {method: string; name: string; requests: number}) => [`${e.method} ${e.name}`, e.requests]));
    const items = [...server.counts].filter(([k]) => k.startsWith('GET /items/')).reduce((n, [, v]) => n + v, 0);
    expect(byName['GET /items/:id']).toBe(items);
    expect(byName['GET /about']).toBe(server.counts.get('GET /about'));
    expect(summary.scenario).toContain('two pages');
    expect(summary.peakUsers).toBe(4);
  });

  it('Ctrl-C (SIGINT) stops the run, prints and writes what was measured', async () => {
    server = await countingServer();
    const json = join(dir, 'interrupted.json');
    const {child, result} = startCli([`${server.url}/`, '-c', '4', '-d', '1m', '--workers', '1', '--json', json]);
    await new Promise((r) => setTimeout(r, 2500));
    child.kill('SIGINT');
    const r = await result;
    expect(r.code).toBe(0);
    expect(existsSync(json)).toBe(true);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary.interrupted).toBe(true);
    expect(summary.totals.requests).toBe(server.counts.get('GET /'));
    expect(summary.durationMs).toBeLessThan(10_000);
    expect(r.stdout).toContain('interrupted');
  });
});
