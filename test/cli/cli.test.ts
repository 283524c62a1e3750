// The command line as a user meets it: the built bin, real servers on loopback, exit codes and files.
import {afterEach, describe, expect, it} from 'vitest';
import {mkdtempSync, readFileSync, writeFileSync, existsSync} from 'node:fs';
import {availableParallelism, tmpdir} from 'node:os';
import {join} from 'node:path';
import {countingServer, type CountingServer} from './counting-server.js';
import {runCli, startCli, printedError} from './run-cli.js';
import {OUTPUT_BUDGET_BYTES} from '../../source/cli/scenario-output.js';

const dir = mkdtempSync(join(tmpdir(), 'brink-cli-'));
let server: CountingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('quick mode', () => {
  it('counts what the server saw, per status, and writes the JSON summary', async () => {
    server = await countingServer((req, res) => {
      if (req.url?.includes('fail')) {
        res.statusCode = 503;
        res.end('busy');
        return true;
      }
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
    // Quick mode's summary reads as hey's and oha's.
    expect(r.stdout).toContain(`Status code distribution:\n  [200] ${summary.totals.requests.toLocaleString('en-US')} responses`);
    expect(r.stdout).toContain('  Success rate:  100.00%');
    expect(summary.generator.workers).toBe(2);
    expect(summary.events.map((e: {text: string}) => e.text).join('\n')).not.toContain('the target is on this machine');
  });

  it('-n: exactly n requests in all, over every worker and connection (redirects followed count once), then the run ends', async () => {
    server = await countingServer((req, res) => {
      if (req.url === '/moved') {
        res.writeHead(302, {location: '/hello'}).end();
        return true;
      }
      return false;
    });
    const json = join(dir, 'n.json');
    const started = Date.now();
    // 137 over 2 workers (69 + 68) and 7 connections; no -d: the run lasts until the 137th, not the default 10 s.
    const r = await runCli([`${server.url}/moved`, '-n', '137', '-c', '7', '--workers', '2', '--json', json]);
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(8000);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary.totals.requests).toBe(137);
    expect(server.counts.get('GET /moved')).toBe(137);
    expect(server.counts.get('GET /hello')).toBe(137);
    expect(summary.interrupted).toBeFalsy();
    expect(summary.events.map((e: {text: string}) => e.text)).toContain('all 137 requests of -n have ended');
    // Fewer requests than connections: the rest send nothing.
    const few = await runCli([`${server.url}/few`, '-n', '3', '-c', '10', '--workers', '1', '--json', json]);
    expect(few.code).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8')).totals.requests).toBe(3);
    expect(server.counts.get('GET /few')).toBe(3);
  });

  it('-n against a closed port: n failures, exit 99 naming the cause', async () => {
    const r = await runCli(['http://127.0.0.1:1/', '-n', '25', '-c', '5', '--workers', '1']);
    expect(r.code).toBe(99);
    expect(r.stdout + r.stderr).toMatch(/no request succeeded: 25 × /);
  });

  it('-n with -d: whichever comes first', async () => {
    server = await countingServer((_req, res) => {
      setTimeout(() => res.end('slow'), 50);
      return true;
    });
    const json = join(dir, 'nd.json');
    // 1 connection at 50 ms a request: about 20 in 1 s, far from 10 000.
    const r = await runCli([`${server.url}/`, '-n', '10000', '-d', '1s', '-c', '1', '--workers', '1', '--json', json]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary.totals.requests).toBe(server.counts.get('GET /'));
    expect(summary.totals.requests).toBeLessThan(40);
  });

  it('without --workers, a target on this machine gets half the cores, and the event log says so', async () => {
    server = await countingServer(() => false);
    const json = join(dir, 'local.json');
    const r = await runCli([`${server.url}/`, '-c', '4', '-d', '1s', '--json', json]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    const cores = availableParallelism();
    expect(summary.generator.workers).toBe(Math.max(1, Math.floor(cores / 2)));
    const said = summary.events.map((e: {text: string}) => e.text).join('\n');
    if (cores >= 2) expect(said).toContain(`the target is on this machine, so half of its ${cores} cores are left to it`);
    expect(summary.totals.requests).toBe(server.counts.get('GET /'));
  });

  it('--workers above the cores: the run goes on as asked, and its event log warns', async () => {
    server = await countingServer(() => false);
    const json = join(dir, 'beyond.json');
    const cores = availableParallelism();
    const r = await runCli([`${server.url}/`, '-c', '4', '-d', '1s', '--workers', String(cores + 1), '--json', json]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary.generator.workers).toBe(cores + 1);
    const warned = summary.events.filter((e: {kind: string}) => e.kind === 'warning').map((e: {text: string}) => e.text);
    expect(warned).toContain(
      `${cores + 1} workers on ${cores} core${cores === 1 ? '' : 's'}: workers beyond the cores take turns on them and cost throughput (at most ${cores} is better)`,
    );
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
    const r = await runCli([
      `${server.url}/orders`,
      '-m',
      'POST',
      '-H',
      'X-Token: abc',
      '-H',
      'Content-Type: application/json',
      '--body',
      '{"a":1}',
      '-c',
      '2',
      '-d',
      '1s',
      '--workers',
      '1',
      '--json',
      json,
    ]);
    // Every request failed: a run that measured no success is not a pass, and says so.
    expect(r.code).toBe(99);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(r.stderr).toBe(
      `brink: no request succeeded: ${summary.totals.requests.toLocaleString('en-US')} × 503 service unavailable → exit 99\n`,
    );
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
      // One line that says what to fix, with its code, and a hint under it.
      const e = printedError(r.stderr);
      expect(e.message).toMatch(message);
      expect(e.code).toMatch(/^BRINK_E_(FLAG_VALUE|UNKNOWN_FLAG|USAGE|SCENARIO)$/);
    });
  }

  it('one echoing a URL shows its password as ***', async () => {
    for (const args of [['ftp://bob:hunter2-pw@example.com/'], ['/', '--host', 'ftp://bob:hunter2-pw@example.com']]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(printedError(r.stderr).message).toContain('ftp://bob:***@example.com');
      expect(r.stderr).not.toContain('hunter2');
    }
  });

  it('a scenario with a syntax error names file:line before any load starts', async () => {
    server = await countingServer();
    const file = join(dir, 'broken.ts');
    writeFileSync(
      file,
      `import {scenario, user, task} from 'brink';\nexport default scenario({users: [user('u', {}, [task(({http}) => http.get('/'))])]});\nconst x = ;\n`,
    );
    const r = await runCli(['run', file, '--host', server.url, '-t', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.ts:3:\d+: .*Unexpected/);
    expect(server.total()).toBe(0);
  });

  it('a scenario that throws at load time names file:line', async () => {
    const file = join(dir, 'throws.ts');
    writeFileSync(
      file,
      `import {scenario, user, task} from 'brink';\n\nexport default scenario({users: [user('u', {weight: -1}, [task(() => {})])]});\n`,
    );
    const r = await runCli(['run', file, '--host', 'http://127.0.0.1:1', '-t', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/throws\.ts:3: user 'u' weight must be a positive number/);
  });
});

describe('scenario runs', () => {
  it('runs a TypeScript scenario headless and its counts match the server', async () => {
    server = await countingServer();
    const file = join(dir, 'two.ts');
    writeFileSync(
      file,
      `import {scenario, user, task} from 'brink';
export default scenario({name: 'two pages', users: [user('reader', {}, [
  task(3, ({http, randomInt}) => http.get('/items/' + randomInt(1, 50), {name: 'GET /items/:id'})),
  task(1, ({http}) => http.get('/about?ref=x')),
])]});
`,
    );
    const json = join(dir, 'two.json');
    const r = await runCli(['run', file, '--host', server.url, '-u', '4', '-r', '100', '-t', '1500ms', '--workers', '2', '--json', json]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    const byName = Object.fromEntries(
      summary.endpoints.map((e: {method: string; name: string; requests: number}) => [`${e.method} ${e.name}`, e.requests]),
    );
    const items = [...server.counts].filter(([k]) => k.startsWith('GET /items/')).reduce((n, [, v]) => n + v, 0);
    expect(byName['GET /items/:id']).toBe(items);
    expect(byName['GET /about']).toBe(server.counts.get('GET /about'));
    expect(summary.scenario).toContain('two pages');
    expect(summary.peakUsers).toBe(4);
  });

  it("counts the scenario's console output in the summary, as it was copied to stderr", async () => {
    server = await countingServer();
    const file = join(dir, 'chatty.ts');
    writeFileSync(
      file,
      `import {scenario, user, task, constant} from 'brink';
export default scenario({users: [user('chatty', {wait: constant(0.05), onStart: async () => { console.log('hello from onStart'); console.error('é to stderr'); }}, [
  task(({http}) => http.get('/quiet')),
])]});
`,
    );
    const json = join(dir, 'chatty.json');
    const r = await runCli(['run', file, '--host', server.url, '-u', '3', '-r', '100', '-t', '1s', '--workers', '1', '--json', json]);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/hello from onStart\n/g)).toHaveLength(3);
    expect(r.stderr.match(/é to stderr\n/g)).toHaveLength(3);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    // 'é' is two bytes: bytes, not characters, as the output cap counts them.
    expect(summary.consoleOutput).toEqual({lines: 6, bytes: 3 * (19 + 13), droppedBytes: 0});
  });

  it("prints a flooding scenario's console output up to a budget, then says what it left out", async () => {
    server = await countingServer();
    const file = join(dir, 'flood.ts');
    writeFileSync(
      file,
      `import {scenario, user, task} from 'brink';
export default scenario({users: [user('flood', {}, [task(async ({http}) => { await http.get('/quiet'); console.log('x'.repeat(1 << 20)); })])]});
`,
    );
    const json = join(dir, 'flood.json');
    const r = await runCli(['run', file, '--host', server.url, '-u', '2', '-r', '100', '-t', '3s', '--workers', '1', '--json', json]);
    expect(r.code).toBe(0);
    const {consoleOutput} = JSON.parse(readFileSync(json, 'utf8'));
    // More reached the main thread than the budget allows: the budget is what held stderr back.
    expect(consoleOutput.bytes - consoleOutput.droppedBytes).toBeGreaterThan(OUTPUT_BUDGET_BYTES + (4 << 20));
    const printed = r.stderr.match(/x+\n/g)!.join('').length;
    expect(printed).toBeGreaterThanOrEqual(OUTPUT_BUDGET_BYTES);
    expect(printed).toBeLessThan(OUTPUT_BUDGET_BYTES + (2 << 20));
    expect(r.stderr).toContain("brink: the scenario's console output passed 16 MiB: the rest of it is not printed\n");
    const left = /brink: ([\d.]+) MiB of the scenario's console output was not printed/.exec(r.stderr);
    expect(Number(left?.[1])).toBeCloseTo((consoleOutput.bytes - consoleOutput.droppedBytes - printed) / (1 << 20), 1);
  });

  it('Ctrl-C (SIGINT) stops the run, prints and writes what was measured', async () => {
    server = await countingServer();
    const json = join(dir, 'interrupted.json');
    const {child, result} = startCli([`${server.url}/`, '-c', '4', '-d', '1m', '--workers', '1', '--json', json]);
    for (let i = 0; i < 100 && server.total() < 200; i++) await new Promise((r) => setTimeout(r, 100));
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

describe('thresholds and exit codes', () => {
  it('exit 99 when a threshold fails, with a PASS/FAIL table and the results in the JSON', async () => {
    server = await countingServer((req, res) => {
      if (req.url === '/fail') {
        res.statusCode = 500;
        res.end();
        return true;
      }
      return false;
    });
    const file = join(dir, 'gated.ts');
    writeFileSync(
      file,
      `import {scenario, user, task} from 'brink';
export default scenario({thresholds: ['GET /fail: errors<1%'], users: [user('u', {}, [task(3, ({http}) => http.get('/ok')), task(1, ({http}) => http.get('/fail'))])]});
`,
    );
    const json = join(dir, 'gated.json');
    const r = await runCli([
      'run',
      file,
      '--host',
      server.url,
      '-u',
      '2',
      '-r',
      '100',
      '-t',
      '1s',
      '--workers',
      '1',
      '--threshold',
      'p95<5s',
      '--threshold',
      'http_5xx<1',
      '--json',
      json,
    ]);
    expect(r.code).toBe(99);
    expect(r.stdout).toMatch(/p95<5s\s+all\s+[\d.]+ ms\s+PASS/);
    expect(r.stdout).toMatch(/http_5xx<1\s+all\s+\d+\s+FAIL/);
    expect(r.stdout).toMatch(/GET \/fail: errors<1%\s+GET \/fail\s+100\.00 %\s+FAIL/);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary.thresholds.map((t: {expression: string; pass: boolean}) => [t.expression, t.pass])).toEqual([
      ['p95<5s', true],
      ['http_5xx<1', false],
      ['GET /fail: errors<1%', false],
    ]);
    expect(summary.thresholds[1].value).toBe(server.counts.get('GET /fail'));
  });

  it('exit 0 when every threshold passes', async () => {
    server = await countingServer();
    const r = await runCli([
      `${server.url}/`,
      '-c',
      '2',
      '-d',
      '1s',
      '--workers',
      '1',
      '--threshold',
      'errors<1%',
      '--threshold',
      'rps>10',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('all 2 threshold(s) passed');
  });

  it('--abort-on-fail stops a run whose threshold stays broken for the grace period', async () => {
    server = await countingServer((req, res) => {
      res.statusCode = 503;
      res.end();
      return true;
    });
    const json = join(dir, 'aborted.json');
    const started = Date.now();
    const r = await runCli([
      `${server.url}/`,
      '-c',
      '2',
      '-d',
      '1m',
      '--workers',
      '1',
      '--threshold',
      'errors<1%',
      '--abort-on-fail',
      '--abort-grace',
      '2s',
      '--json',
      json,
    ]);
    expect(r.code).toBe(99);
    expect(Date.now() - started).toBeLessThan(15_000);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary.aborted).toMatch(/threshold errors<1% broken for [2-4] s/);
    expect(summary.totals.requests).toBe(server.total());
    expect(r.stdout).toContain('aborted early');
  });

  it('a bad threshold is a usage error naming it', async () => {
    const r = await runCli(['http://127.0.0.1:1/', '--threshold', 'p95<soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threshold: threshold 'p95<soon': expected e\.g\. p95<800ms/);
  });
});

describe('safety', () => {
  it('--max-rps caps the requests a second the server sees', async () => {
    server = await countingServer();
    const json = join(dir, 'capped.json');
    const r = await runCli([`${server.url}/`, '-c', '20', '-d', '2s', '--workers', '2', '--max-rps', '150', '--json', json]);
    expect(r.code).toBe(0);
    const seen = server.counts.get('GET /')!;
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    const seconds = summary.durationMs / 1000;
    expect(seen).toBe(summary.totals.requests);
    expect(seen).toBeLessThanOrEqual(150 * seconds + 5);
    expect(seen).toBeGreaterThan(150 * seconds * 0.8);
    for (const p of summary.series.slice(0, -1)) expect(p.rps).toBeLessThan(150 * 1.15);
  });

  it("-q is oha's spelling of the same cap, with -n: exactly n requests, paced", async () => {
    server = await countingServer();
    const json = join(dir, 'qps.json');
    // 120 requests at 80 a second: about 1.5 s of run (unpaced, 10 connections send them in well under 0.5 s).
    const r = await runCli([`${server.url}/`, '-n', '120', '-q', '80', '-c', '10', '--workers', '2', '--json', json]);
    expect(r.code).toBe(0);
    expect(server.counts.get('GET /')).toBe(120);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary.totals.requests).toBe(120);
    expect(summary.durationMs).toBeGreaterThan(1200);
  });

  it('refuses to load a public address without --yes when it cannot ask', async () => {
    // 203.0.113.0/24 is reserved for documentation: nothing is ever sent there (brink refuses before any load).
    const r = await runCli(['http://203.0.113.10/', '-c', '1', '-d', '1s']);
    expect(r.code).toBe(2);
    expect(printedError(r.stderr)).toEqual({
      message: '203.0.113.10 is not a loopback or private address: make sure you may load-test it, then pass --yes',
      code: 'BRINK_E_NOT_LOCAL',
      hint: 'make sure you may load-test that host, then pass --yes',
    });
  });
});
