// Where a run's outputs go, through the built CLI: report paths checked before any load, `-` for stdout, symlinks
// and devices written through (never renamed over), a closed stdout ending quietly.
import {spawn} from 'node:child_process';
import {chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {countingServer, type CountingServer} from './counting-server.js';
import {BIN, printedError, runCli} from './run-cli.js';
import type {Summary} from '../../source/report/summary.js';

const dir = mkdtempSync(join(tmpdir(), 'brink-outputs-'));
let server: CountingServer;
beforeAll(async () => {
  server = await countingServer();
});
afterAll(async () => {
  await server.close();
  rmSync(dir, {recursive: true, force: true});
});

const quick = (path = '/', ...more: string[]) => [`${server.url}${path}`, '-c', '1', '-d', '1s', '--workers', '1', '--headless', ...more];

describe('report paths are checked before any load', {timeout: 30_000}, () => {
  const notDir = join(dir, 'a-file');
  const isDir = join(dir, 'a-dir');
  beforeAll(() => {
    writeFileSync(notDir, 'x');
    mkdirSync(isDir);
    mkdirSync(`${join(dir, 'csvdir')}_stats.csv`);
  });
  const cases: Array<[string, () => string[], RegExp]> = [
    [
      'a directory that does not exist',
      () => ['--json', join(dir, 'no-such-dir', 'run.json')],
      /^--json: the directory .*no-such-dir does not exist$/,
    ],
    ['a file where the directory should be', () => ['--html', join(notDir, 'report.html')], /^--html: .*a-file is not a directory$/],
    ['a path that is a directory', () => ['--md', isDir], /^--md: .*a-dir is a directory: give a file name$/],
    ['one of the three CSV files a directory', () => ['--csv', join(dir, 'csvdir')], /^--csv: .*csvdir_stats\.csv is a directory/],
    ['an empty name', () => ['--json', ''], /^--json needs a file name$/],
    [
      '--csv to stdout',
      () => ['--csv', '-'],
      /^--csv: '-' is stdout, and --csv writes 6 files \(-_stats\.csv, -_stats_history\.csv, -_failures\.csv, -_exceptions\.csv, -_brink_failure_kinds\.csv, -_brink_history\.csv\)/,
    ],
    ['two reports to stdout', () => ['--json', '-', '--md', '/dev/stdout'], /^--json and --md both go to stdout: only one report can/],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: exit 2 naming the flag, and no request sent`, async () => {
      const before = server.total();
      const r = await runCli(quick('/', ...args()));
      const e = printedError(r.stderr);
      expect(e.message).toMatch(message);
      expect(e.code).toBe('BRINK_E_OUTPUT');
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(server.total()).toBe(before);
    });
  }

  it.skipIf(process.platform !== 'linux')('a directory brink may not write in (root too: asked of the directory itself)', async () => {
    const readOnly = join(dir, 'read-only');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o500);
    // Root may write anywhere but in /sys; anyone else may not write in a 0500 directory.
    const where = process.getuid?.() === 0 ? '/sys' : readOnly;
    const before = server.total();
    const r = await runCli(quick('/', '--json', join(where, 'run.json')));
    expect(printedError(r.stderr).message).toMatch(new RegExp(`^--json: cannot write in ${where} \\((EACCES|EPERM|EROFS)\\)$`));
    expect(r.code).toBe(2);
    expect(server.total()).toBe(before);
  });
});

describe('reports on stdout', {timeout: 30_000}, () => {
  it('--json - puts only the JSON on stdout; the summary and the report lines go to stderr', async () => {
    const before = server.total();
    const md = join(dir, 'stdout.md');
    const r = await runCli(quick('/', '--json', '-', '--md', md));
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Summary;
    expect(summary.totals.requests).toBe(server.total() - before);
    expect(summary.totals.requests).toBeGreaterThan(0);
    expect(r.stderr).toContain('Status code distribution:');
    expect(r.stderr).toContain(`release record written to ${md}`);
    expect(r.stderr).not.toContain('summary written to');
  });

  it('/dev/stdout is stdout, written as `-` is (never renamed over)', async () => {
    const r = await runCli(quick('/', '--json', '/dev/stdout'));
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Summary).totals.requests).toBeGreaterThan(0);
    expect(lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
  });

  it('a symlink stays a symlink: its target is the file written', async () => {
    const target = join(dir, 'real.json');
    const link = join(dir, 'link.json');
    writeFileSync(target, 'old');
    symlinkSync(target, link);
    const r = await runCli(quick('/', '--json', link));
    expect(r.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect((JSON.parse(readFileSync(target, 'utf8')) as Summary).totals.requests).toBeGreaterThan(0);
    expect(r.stdout).toContain(`summary written to ${link}`);
  });

  it('a symlink to a device is written through, and stays a symlink', async () => {
    const link = join(dir, 'null.json');
    symlinkSync('/dev/null', link);
    const r = await runCli(quick('/', '--json', link));
    expect(r.code).toBe(0);
    expect(readlinkSync(link)).toBe('/dev/null');
  });
});

/** Runs `brink <args> | <reader>` in bash; resolves with brink's exit code, its stderr and what the reader printed. */
function piped(args: string[], reader: string): Promise<{code: number; stderr: string; out: string; ms: number}> {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `${quoted} 2>"$ERR" | ${reader}; echo "exit=\${PIPESTATUS[0]}"`], {
      env: {...process.env, NO_COLOR: '1', BRINK_CONFIG_DIR: join(dir, 'config'), ERR: join(dir, 'stderr.txt')},
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () =>
      resolve({
        code: Number(/exit=(\d+)/.exec(out)?.[1]),
        stderr: readFileSync(join(dir, 'stderr.txt'), 'utf8'),
        out: out.replace(/exit=\d+\n$/, ''),
        ms: performance.now() - started,
      }),
    );
  });
}

describe('a closed stdout ends quietly', {timeout: 30_000}, () => {
  it('brink … --json - | head -c 10 (or | true, gone before the JSON is written): exit 0, no stack trace', async () => {
    for (const [reader, out] of [
      ['head -c 10', '{\n  "brink'],
      ['true', ''],
    ]) {
      const r = await piped(quick('/', '--json', '-'), reader);
      expect(r.out, reader).toBe(out);
      expect(r.code, reader).toBe(0);
      expect(r.stderr, reader).not.toMatch(/EPIPE|Error|at .*\.js:\d+/);
      expect(r.stderr, reader).toContain('Status code distribution:');
    }
  });

  it('a reader gone before the first progress line stops the run as Ctrl-C would; the files are still written', async () => {
    const json = join(dir, 'closed.json');
    const r = await piped([`${server.url}/`, '-c', '1', '-d', '60s', '--workers', '1', '--headless', '--json', json], 'true');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // The first progress line comes at 5 s: it finds the pipe closed, and the run ends then, not after 60 s.
    expect(r.ms).toBeLessThan(20_000);
    const summary = JSON.parse(readFileSync(json, 'utf8')) as Summary;
    expect(summary.interrupted).toBe(true);
    expect(summary.totals.requests).toBeGreaterThan(0);
  });
});
