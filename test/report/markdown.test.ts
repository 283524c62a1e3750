// The release record: the scenario's commit from git (and no failure without one), thresholds with PASS/FAIL.
import {afterAll, describe, expect, it} from 'vitest';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {markdownReport, scenarioCommit} from '../../source/report/markdown.js';
import {endpoint, step, summary} from './summaries.js';

const dir = mkdtempSync(join(tmpdir(), 'brink-md-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=brink test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

describe('scenarioCommit', () => {
  it("gives the short commit of the scenario's repository, and says when the file has changed since", () => {
    const repo = join(dir, 'repo');
    execFileSync('mkdir', ['-p', join(repo, 'load')]);
    git(repo, 'init', '-q');
    const file = join(repo, 'load', 'shop.ts');
    writeFileSync(file, 'export default 1;\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'scenario');
    const head = git(repo, 'rev-parse', '--short', 'HEAD');
    expect(scenarioCommit(file)).toEqual({commit: head, dirty: false});
    writeFileSync(file, 'export default 2;\n');
    expect(scenarioCommit(file)).toEqual({commit: head, dirty: true});
    const md = markdownReport(summary([endpoint('GET', '/')]), {scenarioFile: file});
    expect(md).toContain(`- **Scenario commit**: \`${head}\` (scenario file has uncommitted changes)`);
  });

  it('is undefined outside a repository, and the record says so', () => {
    const outside = mkdtempSync(join(tmpdir(), 'brink-md-nogit-'));
    try {
      const file = join(outside, 'shop.ts');
      writeFileSync(file, '');
      // (tmpdir is not inside a repository on any sane machine; if it were, this would still not throw.)
      const found = scenarioCommit(file);
      if (found === undefined)
        expect(markdownReport(summary([]), {scenarioFile: file})).toContain('- **Scenario commit**: — (not in a git repository)');
      expect(scenarioCommit(join(outside, 'missing', 'x.ts'))).toBeUndefined();
    } finally {
      rmSync(outside, {recursive: true, force: true});
    }
  });
});

describe('markdownReport', () => {
  const thresholds = [
    {expression: 'p95<800ms', scope: 'all', metric: 'p95', op: '<', limit: 800, value: 412.5, pass: true},
    {
      expression: 'POST /api/orders: errors<1%',
      scope: 'POST /api/orders',
      metric: 'errors',
      op: '<',
      limit: 0.01,
      value: 0.034,
      pass: false,
    },
    {expression: 'GET /gone: rps>1', scope: 'GET /gone', metric: 'rps', op: '>', limit: 1, value: undefined, pass: false},
  ];

  it('renders thresholds with PASS/FAIL and the overall result', () => {
    const md = markdownReport(summary([endpoint('GET', '/')], {thresholds} as never), {
      release: 'abc1234',
      generatedAt: new Date('2026-01-02T04:00:00Z'),
    });
    expect(md).toContain('- **Release under test**: `abc1234`');
    expect(md).toContain('- **Result**: **FAIL** — 2 of 3 thresholds failed');
    expect(md).toContain('| `p95<800ms` | all | 413ms | PASS |');
    expect(md).toContain('| `POST /api/orders: errors<1%` | POST /api/orders | 3.4% | **FAIL** |');
    expect(md).toContain('| `GET /gone: rps>1` | GET /gone | no traffic | **FAIL** |');
  });

  it('has the date, plan, key figures, verdict and a Notes section', () => {
    const s = summary([endpoint('GET', '/a|b', {p95: 45})], {
      manualChanges: [{atMs: 65_000, command: 'baseline', users: 10}],
      steps: [step(1, 10, 30), step(2, 20, 60), step(3, 30, 90), step(4, 40, 120), step(5, 50, 118)],
      breakingPoint: {
        rules: 'knee: …',
        reached: 'breaking point',
        notReached: false,
        maxSustainable: {users: 40, rps: 120, segment: 4, failures: 0, failRate: 0},
        broken: {segment: 5, label: '5/6 50 users', users: 50, rps: 118, p95: 900, failRate: 0.02, reason: 'failures 2.0 % > 1 %'},
      },
    });
    const md = markdownReport(s);
    expect(md).toMatch(/^# Release record: made-up\n/);
    expect(md).toContain('- **Date**: 2026-01-02 03:04:05 UTC');
    expect(md).toContain('- **Load plan**: step ramp 10 → 60 users, +10 every 10 s');
    expect(md).toContain('- **Result**: no thresholds set');
    expect(md).toContain('| `GET /a\\|b` |'); // a pipe in a name does not break the table
    expect(md).toContain('- **breaking point**: at step 5 (50 users): failures 2.0 % > 1 %');
    expect(md).toContain('- **knee**: not reached: req/s kept rising with users up to 50 users');
    expect(md).toContain('- **sustainable**: 40 users · 120 req/s · 0 failures (0.0%) · step 4');
    // The steps add up, and the table says so.
    expect(md).toContain('|  | **total** (= sum of the rows) |  | 3,000 | 30 |');
    expect(md).toContain('## Notes');
    expect(md).toContain('Steered by hand: baseline at 01:05 (→ 10 users).');
  });
});
