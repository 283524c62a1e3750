// Every report from one real run through the built CLI: CSV as Locust writes it, the HTML file, the release
// record, brink compare on the JSON, and no secret anywhere.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {parse} from 'csv-parse/sync';
import {reportRun, SECRET_MARK, type ReportRun} from './fixture.js';
import {runCli} from '../cli/run-cli.js';
import {exceptionsCsv, failuresCsv, historyCsv, pyFloat, statsCsv} from '../../source/report/csv.js';
import {htmlReport} from '../../source/report/html.js';
import {endpoint, summary} from './summaries.js';

let run: ReportRun;
beforeAll(async () => {
  run = await reportRun();
}, 60_000);
afterAll(async () => {
  await run?.cleanup();
});

type Row = Record<string, string>;
const csv = (file: string): Row[] => parse(readFileSync(file, 'utf8'), {columns: true}) as Row[];

describe('a run with --json --csv --html --md', () => {
  it('says where each report went', () => {
    expect(run.result.stdout).toContain(`summary written to ${run.json}`);
    expect(run.result.stdout).toContain(
      `CSV written to ${run.csvPrefix}_stats.csv, ${run.csvPrefix}_stats_history.csv, ${run.csvPrefix}_failures.csv, ${run.csvPrefix}_exceptions.csv`,
    );
    expect(run.result.stdout).toContain(`HTML report written to ${run.html}`);
    expect(run.result.stdout).toContain(`release record written to ${run.md}`);
  });

  it('keeps every secret the run carried out of every report', () => {
    for (const file of [
      run.json,
      `${run.csvPrefix}_stats.csv`,
      `${run.csvPrefix}_stats_history.csv`,
      `${run.csvPrefix}_failures.csv`,
      run.html,
      run.md,
    ]) {
      expect(readFileSync(file, 'utf8'), file).not.toContain(SECRET_MARK);
    }
    expect(run.result.stdout).not.toContain(SECRET_MARK);
    // The message itself is still there, with the secrets masked.
    const message = run.summary.endpoints.find((e) => e.name === '/orders')!.errors.find((e) => e.kind === 'check')!.message;
    expect(message).toBe('order rejected; sent Authorization: ***; got {"ok":false,"password":"***","token":"***"}');
  });
});

// Locust 2.46's headers, as locust/stats.py (StatsCSV, StatsCSVFileWriter) writes them: brink's must be the same,
// name for name and in order, so the sheets and scripts made for Locust read brink's files.
const LOCUST = {
  stats:
    'Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%',
  history:
    'Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size',
  failures: 'Method,Name,Error,Occurrences,First Seen,Last Seen',
  exceptions: 'Count,Message,Traceback,Nodes',
};

describe('CSV, exactly as Locust writes it', () => {
  const header = (file: string) => readFileSync(`${run.csvPrefix}${file}`, 'utf8').split('\r\n')[0];

  it("the four files, with Locust's headers, line ends and nothing more; brink's extras in files of their own", () => {
    expect(header('_stats.csv')).toBe(LOCUST.stats);
    expect(header('_stats_history.csv')).toBe(LOCUST.history);
    expect(header('_failures.csv')).toBe(LOCUST.failures);
    expect(header('_exceptions.csv')).toBe(LOCUST.exceptions);
    expect(header('_brink_failure_kinds.csv')).toBe('Method,Name,Kind,Count');
    expect(readFileSync(`${run.csvPrefix}_stats.csv`, 'utf8')).toMatch(/\r\n$/);
  });

  it('_stats.csv: a row per endpoint by name, then Aggregated; counts as the server saw them; Locust number formats', () => {
    const rows = csv(`${run.csvPrefix}_stats.csv`);
    expect(rows.map((r) => `${r.Type}|${r.Name}`)).toEqual(
      ['GET|/fast', 'POST|/orders', 'GET|/slow', '|Aggregated'].sort((a, b) => {
        const [, an] = a.split('|');
        const [, bn] = b.split('|');
        return an === 'Aggregated' ? 1 : bn === 'Aggregated' ? -1 : an < bn ? -1 : 1;
      }),
    );
    for (const r of rows.filter((x) => x.Name !== 'Aggregated')) {
      expect(Number(r['Request Count']), r.Name).toBe(run.server.counts.get(`${r.Type} ${r.Name}`));
      const p = ['50%', '66%', '75%', '80%', '90%', '95%', '98%', '99%', '99.9%', '99.99%', '100%'].map((c) => Number(r[c]));
      expect(
        p.every((v, i) => i === 0 || v >= p[i - 1]),
        `${r.Name} percentiles ascend: ${p}`,
      ).toBe(true);
      // Median and percentiles are whole ms (Locust's ints); averages, min and max are floats (`12.0`, `3.456`).
      expect(r['Median Response Time']).toMatch(/^\d+$/);
      for (const c of ['Average Response Time', 'Min Response Time', 'Max Response Time', 'Requests/s'])
        expect(r[c], c).toMatch(/^\d+(\.\d+)?$/);
      expect(r['Average Response Time']).toContain('.');
      expect(Number(r['Average Content Size'])).toBeGreaterThan(0);
    }
    const all = rows.find((r) => r.Name === 'Aggregated')!;
    expect(all.Type).toBe('');
    expect(Number(all['Request Count'])).toBe(run.summary.totals.requests);
    expect(Number(all['Failure Count'])).toBe(run.summary.totals.failures);
    expect(Number(all['Failure Count'])).toBeGreaterThan(0);
  });

  it("_stats_history.csv: an Aggregated row per interval (Locust's default), rates to six decimals, totals so far", () => {
    const rows = csv(`${run.csvPrefix}_stats_history.csv`);
    expect(rows.every((r) => r.Name === 'Aggregated' && r.Type === '')).toBe(true);
    expect(rows).toHaveLength(run.summary.series.length);
    expect(rows.map((r) => Number(r['User Count']))).toEqual(run.summary.series.map((p) => p.users));
    expect(rows.every((r) => /^\d+\.\d{6}$/.test(r['Requests/s']))).toBe(true);
    expect(Number(rows.at(-1)!['Total Request Count'])).toBe(run.summary.totals.requests);
    expect(Number(rows.at(-1)!['Total Failure Count'])).toBe(run.summary.totals.failures);
    const totals = rows.map((r) => Number(r['Total Request Count']));
    expect(totals.every((v, i) => i === 0 || v >= totals[i - 1])).toBe(true);
    const started = Date.parse(run.summary.startedAt) / 1000;
    rows.forEach((r, i) => expect(Math.abs(Number(r.Timestamp) - (started + run.summary.series[i].t))).toBeLessThanOrEqual(1));
    expect(Math.max(...rows.map((r) => Number(r['User Count'])))).toBe(12); // users climbed 4 → 8 → 12
  });

  it('--csv-full-history adds a row per endpoint, as Locust does', () => {
    const rows = parse(historyCsv(run.summary, true), {columns: true}) as Row[];
    expect(new Set(rows.filter((r) => r.Name !== 'Aggregated').map((r) => `${r.Type} ${r.Name}`))).toEqual(
      new Set(['GET /fast', 'GET /slow', 'POST /orders']),
    );
  });

  it('_failures.csv: a row per endpoint and error, first and last seen in UTC; occurrences add up to the failures', () => {
    const rows = csv(`${run.csvPrefix}_failures.csv`);
    expect(rows.reduce((n, r) => n + Number(r.Occurrences), 0)).toBe(run.summary.totals.failures);
    expect(rows.find((r) => r.Error === 'HTTP 503')).toMatchObject({Method: 'POST', Name: '/orders'});
    for (const r of rows) {
      expect(r['First Seen']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(r['Last Seen'] >= r['First Seen']).toBe(true);
    }
    // brink's kinds are in a file of their own.
    const kinds = csv(`${run.csvPrefix}_brink_failure_kinds.csv`);
    const byKind: Record<string, number> = {};
    for (const r of kinds) byKind[r.Kind] = (byKind[r.Kind] ?? 0) + Number(r.Count);
    expect(byKind).toEqual(run.summary.totals.failuresByKind);
  });

  it('_exceptions.csv: the script errors, the place as the traceback', () => {
    const s = summary([endpoint('GET', '/x')], {
      scriptErrors: [{task: 'checkout', where: 'shop.ts:31', message: "TypeError: cannot read 'id'", count: 7, firstAtMs: 10}],
    });
    expect(parse(exceptionsCsv(s), {columns: true})).toEqual([
      {Count: '7', Message: "TypeError: cannot read 'id'", Traceback: 'checkout (shop.ts:31)', Nodes: 'local'},
    ]);
  });

  it('keeps a row for failures whose messages were not all sampled', () => {
    const s = summary([
      endpoint('GET', '/x', {failures: 10, kinds: {timeout: 10}, errors: [{kind: 'timeout', message: 'timeout after 30s', count: 4}]}),
    ]);
    const rows = parse(failuresCsv(s), {columns: true}) as Row[];
    expect(rows.map((r) => [r.Error, r.Occurrences])).toEqual([
      ['timeout after 30s', '4'],
      ['timeout (other messages)', '6'],
    ]);
  });

  it("Python's float formatting and Locust's N/A", () => {
    expect([pyFloat(12), pyFloat(3.456), pyFloat(0)]).toEqual(['12.0', '3.456', '0.0']);
    const s = summary([endpoint('GET', '/none', {requests: 0})]);
    expect(parse(statsCsv(s), {columns: true})[0]).toMatchObject({'50%': 'N/A', '100%': 'N/A', 'Average Content Size': '0'});
  });
});

describe('HTML (structure; the browser test draws it)', () => {
  it('is one self-contained file: no external scripts, styles, fonts or images', () => {
    const html = readFileSync(run.html, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/url\(\s*['"]?https?:/i);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).toContain('uPlot');
  });

  it('has the header figures, verdict, steps, endpoints, failures, events and plan', () => {
    const html = readFileSync(run.html, 'utf8');
    for (const id of [
      'figures',
      'verdict',
      'steps',
      'endpoints',
      'failures',
      'events',
      'plan',
      'chart-load',
      'chart-latency',
      'chart-endpoint',
      'chart-endpoints-p95',
      'chart-failures',
      'endpoint-select',
    ]) {
      expect(html, id).toContain(`id="${id}"`);
    }
    expect(html).toContain('report fixture');
    expect(html).toContain('release <code>abc1234</code>');
    expect(html).toContain('step ramp 4 → 12 users');
    expect(html).toContain('<dt>first to fail</dt>');
    expect(html).toMatch(/<td class="l">POST \/orders<\/td><td>\d+<\/td>/);
  });

  it('embeds the time series, overall and per endpoint, aligned on the same clock', () => {
    const html = readFileSync(run.html, 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="brink-data">([\s\S]*?)<\/script>/.exec(html)![1]);
    expect(data.t).toEqual(run.summary.series.map((p) => p.t));
    expect(data.users).toEqual(run.summary.series.map((p) => p.users));
    expect(data.endpoints.map((e: {label: string}) => e.label).sort()).toEqual(['GET /fast', 'GET /slow', 'POST /orders']);
    for (const e of data.endpoints) {
      expect(e.p95).toHaveLength(data.t.length);
      expect(e.p95.filter((v: number | null) => v !== null).length).toBeGreaterThan(0);
    }
    expect(data.kinds.map((k: {name: string}) => k.name).sort()).toEqual(['check', 'http_503']);
    expect(data.steps).toHaveLength(run.summary.steps.length);
  });

  it('shows thresholds with PASS/FAIL when the summary has them', () => {
    const thresholds = [
      {expression: 'p95<800ms', scope: 'all', metric: 'p95', op: '<', limit: 800, value: 412.5, pass: true},
      {expression: 'errors<1%', scope: 'all', metric: 'errors', op: '<', limit: 0.01, value: 0.034, pass: false},
    ];
    const html = htmlReport(summary([endpoint('GET', '/')], {thresholds} as never));
    expect(html).toContain('id="thresholds"');
    expect(html).toContain('1 of 2 failed');
    expect(html).toMatch(/<td class="l">p95&lt;800ms<\/td><td class="l">all<\/td><td>413ms<\/td><td><span class="badge pass">PASS<\/span>/);
    expect(html).toMatch(/errors&lt;1%.*3\.4%.*badge fail">FAIL/);
    expect(htmlReport(summary([endpoint('GET', '/')]))).not.toContain('id="thresholds"');
  });

  it('cannot be broken out of by what the run recorded', () => {
    const s = summary([
      endpoint('GET', '/</script><script>alert(1)</script>', {
        failures: 1,
        errors: [{kind: 'check', message: '<img src=x onerror=alert(1)>', count: 1}],
      }),
    ]);
    const html = htmlReport(s);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('release record (--md)', () => {
  it('has the release, scenario, plan, figures, verdict and notes', () => {
    const md = readFileSync(run.md, 'utf8');
    expect(md).toContain('# Release record: report fixture');
    expect(md).toContain('- **Release under test**: `abc1234`');
    expect(md).toMatch(/- \*\*Date\*\*: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(md).toContain('- **Load plan**: step ramp 4 → 12 users, +4 every 2 s');
    expect(md).toContain('- **Scenario commit**: — (not in a git repository)');
    expect(md).toContain(`| ${run.summary.totals.requests.toLocaleString('en-US')} |`);
    expect(md).toContain('- **first to fail**: POST /orders http_503');
    expect(md).toContain('### Steps');
    expect(md).toContain('## Notes');
  });
});

describe('brink compare', () => {
  it('exits 0 with no regression between a run and itself', async () => {
    const r = await runCli(['compare', run.json, run.json]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no regression beyond 10 %');
    expect(r.stdout).toMatch(/^All\s/m);
    expect(r.stdout).toMatch(/^GET \/slow\s/m);
  });

  it('exits 3 and names the regression when an endpoint got slower; lists missing and new endpoints', async () => {
    const slower = structuredClone(run.summary) as unknown as {
      endpoints: Array<{name: string; method: string; rps: number; latencyMs: Record<string, number>}>;
    };
    const slow = slower.endpoints.find((e) => e.name === '/slow')!;
    slow.latencyMs.p95 = slow.latencyMs.p95 * 2 + 5;
    slower.endpoints = slower.endpoints.filter((e) => e.name !== '/fast');
    slower.endpoints.push({...structuredClone(slow), name: '/new-thing'});
    const file = join(run.dir, 'slower.json');
    writeFileSync(file, JSON.stringify(slower));
    const r = await runCli(['compare', run.json, file, '--tolerance', '20%']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('tolerance 20 %');
    expect(r.stdout).toMatch(/^GET \/slow\s.*\+\d+% !/m);
    expect(r.stdout).toMatch(/1 regression beyond 20 %:\n {2}GET \/slow: p95 /);
    expect(r.stdout).toContain('  - GET /fast');
    expect(r.stdout).toContain('  + GET /new-thing');
  });

  const usage: Array<[string[], RegExp]> = [
    [['compare', 'only-one.json'], /brink compare needs two summaries/],
    [['compare', '/nonexistent/a.json', '/nonexistent/b.json'], /cannot read \/nonexistent\/a\.json: ENOENT/],
    [['compare', 'package.json', 'package.json'], /package\.json is not a brink summary/],
    [['compare', 'a.json', 'b.json', '--tolerance', 'lots'], /--tolerance: 'lots' is not a percentage/],
    [['compare', 'a.json', 'b.json', '--html', 'x.html'], /--html does not go with brink compare/],
    [['http://127.0.0.1:1/', '--tolerance', '5%'], /--tolerance goes with brink compare/],
    [['http://127.0.0.1:1/', '--html', '/nonexistent/dir/r.html'], /--html: the directory \/nonexistent\/dir does not exist/],
  ];
  for (const [args, message] of usage) {
    it(`exits 2: brink ${args.join(' ')}`, async () => {
      const r = await runCli(args);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
    });
  }
});
