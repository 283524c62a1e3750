// Every output of one real run, grepped for the secrets it carried. The run (the built CLI, headless) goes to a
// loopback server that echoes credentials back in its error pages (headers, a form, a Python dict), sets a secret
// session cookie, redirects to a JWT in a path and hands out a JWT the scenario puts in a path of its own. The
// scenario sets a bearer token, an X-Api-Key and a password in a form, has a `user:pass@` host, is named
// client-secrets.ts, and has a task that fails (res.json() on a Python dict). The run writes --json, --csv,
// --html and --md, serves --metrics (scraped while it runs), and its stdout and stderr are kept. No planted secret
// may appear in any of them; the failing task's location must (redaction did not over-reach), and so must the counts.
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parse} from 'csv-parse/sync';
import {startCli, type CliResult} from '../cli/run-cli.js';
import type {Summary} from '../../source/report/summary.js';

/** In every planted secret's value, and nowhere else: no output may contain it. */
const PLANT = 'PLANTED';
const jwtPart = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const JWT = `${jwtPart({alg: 'HS256'})}.${jwtPart({sub: 'ann', secret: PLANT})}.${Buffer.from(`sig-${PLANT}`).toString('base64url')}`;
const SECRETS = {
  bearer: `tok-${PLANT}-bearer-1a2b`,
  apiKey: `key-${PLANT}-api-3c4d`,
  formPassword: `pw-${PLANT}-form-5e6f`,
  hostPassword: `pw-${PLANT}-host-7a8b`,
  cookie: `sess-${PLANT}-cookie-9z8y`,
  resetToken: `rst-${PLANT}-query-7x6w`,
  pyPassword: `py-${PLANT}-dump-5v4u`,
  jwt: JWT,
};

const counts = new Map<string, number>();
let server: http.Server;
let url: string;
const dir = mkdtempSync(join(tmpdir(), 'brink-secrets-'));
const out = (name: string) => join(dir, name);
let result: CliResult;
let scrapes: string[] = [];
let summary: Summary;
/** The 1-based line of the scenario's failing res.json(). */
let failingLine: number;

function startServer(): Promise<void> {
  server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const key = `${req.method} ${path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (path === '/login') {
        // Every other login fails, echoing the form it got; each sets the session cookie and hands out a JWT.
        res.setHeader('set-cookie', `sessionid=${SECRETS.cookie}; HttpOnly; Path=/`);
        res.setHeader('content-type', 'application/json');
        if ((counts.get(key) ?? 0) % 2 === 0) {
          res.statusCode = 400;
          res.end(`bad login: ${body}`);
          return;
        }
        res.end(JSON.stringify({access_token: JWT}));
        return;
      }
      if (path === '/api/data') {
        // An error page that quotes the request's credentials back, as a debug page does.
        res.statusCode = 500;
        res.end(
          `<pre>Authorization: ${req.headers.authorization}\nX-Api-Key: ${req.headers['x-api-key']}\nCookie: ${req.headers.cookie}</pre>`,
        );
        return;
      }
      if (path === '/go') {
        res.statusCode = 302;
        res.setHeader('location', `/landing/${JWT}?reset_token=${SECRETS.resetToken}`);
        res.end();
        return;
      }
      if (path === '/py') {
        // A Python dict where JSON was expected (Django's debug output): the scenario's res.json() fails on it.
        res.statusCode = 500;
        res.end(`{'user': 'ann', 'password': '${SECRETS.pyPassword}', 'api_key': '${SECRETS.apiKey}'}`);
        return;
      }
      res.end('ok');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function scenarioText(port: number): string {
  return `import {scenario, user, task, constant} from 'brink';

const TOKEN = '${SECRETS.bearer}';
const API_KEY = '${SECRETS.apiKey}';
const PASSWORD = '${SECRETS.formPassword}';

export default scenario({
  name: 'secrets everywhere',
  host: 'http://bob:${SECRETS.hostPassword}@127.0.0.1:${port}',
  users: [
    user('ann', {wait: constant(0.02)}, [
      task(2, 'login', async ({http}) => {
        const res = await http.post('/login', {form: {username: 'ann', password: PASSWORD}});
        if (res.status === 200) await http.get('/verify/' + res.json().access_token);
      }),
      task(2, 'data', ({http}) => http.get('/api/data', {headers: {authorization: 'Bearer ' + TOKEN, 'x-api-key': API_KEY}})),
      task(1, 'redirected', ({http}) => http.get('/go')),
      task(1, 'python', async ({http}) => {
        const res = await http.get('/py');
        return res.json(); // FAILS HERE
      }),
    ]),
  ],
});
`;
}

beforeAll(async () => {
  await startServer();
  const {port} = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  const text = scenarioText(port);
  failingLine = text.split('\n').findIndex((line) => line.includes('FAILS HERE')) + 1;
  const file = join(dir, 'client-secrets.ts');
  writeFileSync(file, text);
  const endpoint = `GET /verify/${JWT}`;
  const {child, result: done} = startCli([
    'run',
    file,
    '-u',
    '4',
    '-t',
    '4s',
    '--headless',
    '--workers',
    '1',
    '--metrics',
    '127.0.0.1:0',
    '--threshold',
    `${endpoint}: p95<10s`,
    '--json',
    out('run.json'),
    '--csv',
    out('run'),
    '--html',
    out('report.html'),
    '--md',
    out('release.md'),
    '--release',
    'abc1234',
  ]);
  // Scrape the metrics while the run goes on, once a second, as Prometheus would.
  let stderr = '';
  const scraping: Array<Promise<void>> = [];
  let timer: NodeJS.Timeout | undefined;
  child.stderr!.on('data', (d) => {
    stderr += d;
    const at = /metrics at (http:\/\/\S+\/metrics)/.exec(stderr)?.[1];
    if (at && !timer) {
      timer = setInterval(() => {
        scraping.push(
          fetch(at)
            .then((r) => r.text())
            .then((t) => void scrapes.push(t))
            .catch(() => {}),
        );
      }, 800);
    }
  });
  result = await done;
  clearInterval(timer);
  await Promise.all(scraping);
  scrapes = scrapes.filter((s) => s.includes('brink_requests_total{'));
  if (result.code !== 0) throw new Error(`brink exited ${result.code}\n${result.stderr}\n${result.stdout.slice(-2000)}`);
  summary = JSON.parse(readFileSync(out('run.json'), 'utf8')) as Summary;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server?.closeAllConnections();
  rmSync(dir, {recursive: true, force: true});
});

/** Every output of the run, by name. */
function outputs(): Array<[string, string]> {
  return [
    ['stdout', result.stdout],
    ['stderr', result.stderr],
    ...scrapes.map((s, i): [string, string] => [`metrics scrape ${i + 1}`, s]),
    ...['run.json', 'run_stats.csv', 'run_stats_history.csv', 'run_failures.csv', 'report.html', 'release.md'].map(
      (name): [string, string] => [name, readFileSync(out(name), 'utf8')],
    ),
  ];
}

describe('one run, every output grepped for the secrets it carried', () => {
  it('the run went where the secrets are: the server saw every kind of request, some failed, metrics were scraped', () => {
    for (const key of ['POST /login', `GET /verify/${JWT}`, 'GET /api/data', 'GET /go', `GET /landing/${JWT}`, 'GET /py'])
      expect(counts.get(key), key).toBeGreaterThan(0);
    expect(scrapes.length).toBeGreaterThanOrEqual(2);
    expect(summary.totals.failures).toBeGreaterThan(0);
    expect(summary.totals.scriptErrors).toBeGreaterThan(0);
  });

  it('no planted secret appears in any output', () => {
    for (const [name, text] of outputs()) {
      expect(text.length, name).toBeGreaterThan(0);
      expect(text, name).not.toContain(PLANT);
      for (const [what, value] of Object.entries(SECRETS)) expect(text.includes(value), `${what} in ${name}`).toBe(false);
      // The JWT's signature and payload on their own, and the host's password URL-encoded or in Basic auth.
      for (const part of JWT.split('.').slice(1)) expect(text.includes(part), `a JWT part in ${name}`).toBe(false);
      expect(text.includes(Buffer.from(`bob:${SECRETS.hostPassword}`).toString('base64')), `Basic auth in ${name}`).toBe(false);
    }
  });

  it('what was hidden is marked, and what a user needs to find the fault is still there', () => {
    const location = `client-secrets.ts:${failingLine}`;
    const python = summary.scriptErrors!.find((e) => e.task === 'python')!;
    expect(python.where).toBe(location);
    expect(python.message).toContain("is not JSON: \"{'user': 'ann', 'password': '***'");
    for (const [name, text] of [
      ['stdout', result.stdout],
      ['report.html', readFileSync(out('report.html'), 'utf8')],
      ['release.md', readFileSync(out('release.md'), 'utf8')],
    ])
      expect(text, name).toContain(location);
    expect(summary.target).toBe(url);
    expect(summary.scenario).toBe(`secrets everywhere (${join(dir, 'client-secrets.ts')})`);
    const data = summary.endpoints.find((e) => e.name === '/api/data')!;
    // (Body samples come with their line breaks as spaces.)
    expect(data.errors[0].body).toBe('<pre>Authorization: *** X-Api-Key: *** Cookie: ***</pre>');
    const login = summary.endpoints.find((e) => e.name === '/login')!;
    expect(login.errors[0].body).toBe('bad login: username=ann&password=***');
    const go = summary.endpoints.find((e) => e.name === '/go')!;
    // (Redirect targets are kept as paths.)
    expect(go.redirects!.to).toEqual({'/landing/***': counts.get(`GET /landing/${JWT}`)});
    // The threshold on the endpoint with a JWT in its path still finds it, and shows no token.
    expect(summary.thresholds).toEqual([
      expect.objectContaining({expression: 'GET /verify/***: p95<10s', scope: 'GET /verify/***', pass: true}),
    ]);
    expect(summary.thresholds[0].value).toBeGreaterThan(0);
  });

  it('the figures are there, and they are what the server saw', () => {
    const byName = new Map(summary.endpoints.map((e) => [`${e.method} ${e.name}`, e]));
    expect([...byName.keys()].sort()).toEqual(['GET /api/data', 'GET /go', 'GET /py', 'GET /verify/***', 'POST /login']);
    for (const [name, served] of [
      ['POST /login', 'POST /login'],
      ['GET /api/data', 'GET /api/data'],
      ['GET /go', 'GET /go'],
      ['GET /py', 'GET /py'],
      ['GET /verify/***', `GET /verify/${JWT}`],
    ])
      expect(byName.get(name)!.requests, name).toBe(counts.get(served));
    expect(byName.get('GET /api/data')!.failures).toBe(counts.get('GET /api/data'));
    expect(byName.get('GET /go')!.redirects!.count).toBe(counts.get(`GET /landing/${JWT}`));
    // The CSV and the last scrape count the same requests.
    const stats = parse(readFileSync(out('run_stats.csv'), 'utf8'), {columns: true}) as Array<Record<string, string>>;
    expect(Number(stats.find((r) => r.Name === '/verify/***')!['Request Count'])).toBe(counts.get(`GET /verify/${JWT}`));
    expect(Number(stats.find((r) => r.Name === 'Aggregated')!['Request Count'])).toBe(summary.totals.requests);
    const last = scrapes.at(-1)!;
    expect(last).toMatch(/^brink_requests_total\{method="GET",endpoint="\/verify\/\*\*\*",status="200"\} \d+$/m);
    const scraped = Number(/^brink_requests_total\{method="GET",endpoint="\/api\/data",status="500"\} (\d+)$/m.exec(last)![1]);
    expect(scraped).toBeGreaterThan(0);
    expect(scraped).toBeLessThanOrEqual(counts.get('GET /api/data')!);
  });
});
