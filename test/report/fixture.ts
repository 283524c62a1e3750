// One real, short run through the built CLI (node bin/brink.js) against a loopback shop, writing every report:
// the report tests check what a user would open. The shop has a fast endpoint, one that slows with load, and
// one that fails (503s, and answers a check rejects while quoting secrets that must never reach a report).
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runCli, type CliResult} from '../cli/run-cli.js';
import type {Summary} from '../../source/report/summary.js';

/** Every secret the run carries has this in its value (never in a field's name): no report may contain it. */
export const SECRET_MARK = 'SECRET';

export interface ShopServer {
  readonly url: string;
  readonly counts: Map<string, number>;
  close(): Promise<void>;
}

export async function reportShop(): Promise<ShopServer> {
  const counts = new Map<string, number>();
  let inFlight = 0;
  let orders = 0;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const key = `${req.method} ${path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    req.resume();
    req.on('end', () => {
      res.setHeader('set-cookie', `session=sess-${SECRET_MARK}-1; HttpOnly`);
      if (path === '/slow') {
        inFlight++;
        // Slower with every request in flight: latency climbs with the users.
        setTimeout(
          () => {
            inFlight--;
            res.end('slow ok');
          },
          4 + inFlight * 3,
        );
        return;
      }
      if (path === '/orders') {
        orders++;
        if (orders % 4 === 0) {
          res.statusCode = 503;
          res.end('busy');
          return;
        }
        res.setHeader('content-type', 'application/json');
        res.end(
          orders % 7 === 0 ? JSON.stringify({ok: false, password: `hunter2-${SECRET_MARK}`, token: `tok-${SECRET_MARK}`}) : '{"ok":true}',
        );
        return;
      }
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const SCENARIO = `
import {scenario, user, task, constant} from 'brink';

const AUTH = 'Bearer sk_live_${SECRET_MARK}_abcdef';

export default scenario({
  name: 'report fixture',
  users: [
    user('shopper', {wait: constant(0.05)}, [
      task(3, ({http}) => http.get('/fast', {headers: {authorization: AUTH}, query: {api_key: 'k-${SECRET_MARK}'}})),
      task(2, ({http}) => http.get('/slow')),
      task(1, ({http}) => http.post('/orders', {
        json: {item: 1},
        // A careless check message that quotes the request's header and the response body.
        check: (r) => r.status >= 400 || r.json().ok === true || 'order rejected; sent Authorization: ' + AUTH + '; got ' + r.text(),
      })),
    ]),
  ],
});
`;

export interface ReportRun {
  readonly dir: string;
  readonly scenarioFile: string;
  readonly json: string;
  readonly csvPrefix: string;
  readonly html: string;
  readonly md: string;
  readonly result: CliResult;
  readonly summary: Summary;
  readonly server: ShopServer;
  cleanup(): Promise<void>;
}

/** Runs a 3-step ramp (4 → 8 → 12 users, 2 s each) with --json --csv --html --md --release. */
export async function reportRun(extra: string[] = []): Promise<ReportRun> {
  const dir = mkdtempSync(join(tmpdir(), 'brink-report-'));
  const server = await reportShop();
  const scenarioFile = join(dir, 'shop.ts');
  writeFileSync(scenarioFile, SCENARIO);
  const out = (name: string) => join(dir, name);
  const result = await runCli([
    'run',
    scenarioFile,
    '--host',
    server.url,
    '-u',
    '12',
    '--step-users',
    '4',
    '--step-time',
    '2s',
    '-t',
    '6.5s',
    '--headless',
    '--workers',
    '1',
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
    ...extra,
  ]);
  if (result.code !== 0) {
    await server.close();
    throw new Error(`brink exited ${result.code}\n${result.stderr}\n${result.stdout.slice(-2000)}`);
  }
  return {
    dir,
    scenarioFile,
    json: out('run.json'),
    csvPrefix: out('run'),
    html: out('report.html'),
    md: out('release.md'),
    result,
    server,
    summary: JSON.parse(readFileSync(out('run.json'), 'utf8')) as Summary,
    cleanup: async () => {
      await server.close();
      rmSync(dir, {recursive: true, force: true});
    },
  };
}
