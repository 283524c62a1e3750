// Every report from one real run through the built CLI: CSV as Locust writes it, the HTML file, the release
// record, brink compare on the JSON, and no secret anywhere.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {parse} from 'csv-parse/sync';
import {reportRun, SECRET_MARK, type ReportRun} from './fixture.js';
import {runCli} from '../cli/run-cli.js';
import {failuresCsv, historyCsv, statsCsv} from '../../source/report/csv.js';
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
      `CSV written to ${run.csvPrefix}_stats.csv, ${run.csvPrefix}_stats_history.csv, ${run.csvPrefix}_failures.csv`,
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

describe('CSV', () => {
  it('_stats.csv: Locust columns, a row per endpoint and Aggregated, counts as the server saw them', () => {
    const text = readFileSync(`${run.csvPrefix}_stats.csv`, 'utf8');
    expect(text.split('\n')[0]).toBe(
      'Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%',
    );
    const rows = csv(`${run.csvPrefix}_stats.csv`);
    expect(rows.map((r) => `${r.Type} ${r.Name}`).sort()).toEqual([' Aggregated', 'GET /fast', 'GET /slow', 'POST /orders']);
    for (const r of rows.filter((x) => x.Name !== 'Aggregated')) {
      expect(Number(r['Request Count']), r.Name).toBe(run.server.counts.get(`${r.Type} ${r.Name}`));
      const p = ['Min Response Time', '50%', '66%', '75%', '80%', '90%', '95%', '98%', '99%', '99.9%', '99.99%', '100%'].map((c) =>
        Number(r[c]),
      );
      expect(
        p.every((v, i) => i === 0 || v >= p[i - 1]),
        `${r.Name} percentiles ascend: ${p}`,
      ).toBe(true);
      expect(Number(r['Median Response Time'])).toBe(Number(r['50%']));
      expect(Number(r['Max Response Time'])).toBe(Number(r['100%']));
    }
    const all = rows.find((r) => r.Name === 'Aggregated')!;
    expect(Number(all['Request Count'])).toBe(run.summary.totals.requests);
    expect(Number(all['Failure Count'])).toBe(run.summary.totals.failures);
    expect(Number(all['Failure Count'])).toBeGreaterThan(0);
    expect(Number(all['Requests/s'])).toBeGreaterThan(0);
  });

  it('_stats_history.csv: an Aggregated row per interval, endpoint rows beside it, cumulative totals', () => {
    const rows = csv(`${run.csvPrefix}_stats_history.csv`);
    const agg = rows.filter((r) => r.Name === 'Aggregated');
    expect(agg).toHaveLength(run.summary.series.length);
    expect(agg.length).toBeGreaterThanOrEqual(5);
    expect(agg.map((r) => Number(r['User Count']))).toEqual(run.summary.series.map((p) => p.users));
    expect(Number(agg.at(-1)!['Total Request Count'])).toBe(run.summary.totals.requests);
    expect(Number(agg.at(-1)!['Total Failure Count'])).toBe(run.summary.totals.failures);
    const started = Date.parse(run.summary.startedAt) / 1000;
    for (const r of agg) expect(Math.abs(Number(r.Timestamp) - (started + Number(r['Elapsed (s)'])))).toBeLessThanOrEqual(1);
    expect(new Set(rows.filter((r) => r.Name !== 'Aggregated').map((r) => `${r.Type} ${r.Name}`))).toEqual(
      new Set(['GET /fast', 'GET /slow', 'POST /orders']),
    );
    // Users climbed 4 → 8 → 12.
    expect(Math.max(...agg.map((r) => Number(r['User Count'])))).toBe(12);
  });

  it('_failures.csv: a row per endpoint, kind and message; occurrences add up to the failures', () => {
    const rows = csv(`${run.csvPrefix}_failures.csv`);
    expect(Object.keys(rows[0])).toEqual(['Method', 'Name', 'Kind', 'Error', 'Occurrences']);
    const byKind: Record<string, number> = {};
    for (const r of rows) byKind[r.Kind] = (byKind[r.Kind] ?? 0) + Number(r.Occurrences);
    expect(byKind).toEqual(run.summary.totals.failuresByKind);
    expect(rows.find((r) => r.Kind === 'http_503')).toMatchObject({Method: 'POST', Name: '/orders', Error: 'HTTP 503'});
  });

  it('keeps a row for failures whose messages were not all sampled', () => {
    const s = summary([
      endpoint('GET', '/x', {failures: 10, kinds: {timeout: 10}, errors: [{kind: 'timeout', message: 'timeout after 30s', count: 4}]}),
    ]);
    const rows = parse(failuresCsv(s), {columns: true}) as Row[];
    expect(rows.map((r) => [r.Kind, r.Error, r.Occurrences])).toEqual([
      ['timeout', 'timeout after 30s', '4'],
      ['timeout', 'timeout (other messages)', '6'],
    ]);
  });

  it('reads summaries from before the extra percentiles and per-endpoint history (empty cells, not errors)', () => {
    const s = summary([endpoint('GET', '/old')]);
    expect(parse(statsCsv(s), {columns: true})[0]).toMatchObject({'66%': '', '99.9%': '', '50%': '20'});
    const history = parse(historyCsv(s), {columns: true}) as Row[];
    expect(history.every((r) => r.Name === 'Aggregated')).toBe(true);
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
