// `brink profile …` and `--profile` through the built CLI, with conf pointed at a temp dir
// (BRINK_CONFIG_DIR) so the user's own config is never read or written.
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {countingServer, type CountingServer} from '../counting-server.js';
import {printedError, runCli} from '../run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'brink-profiles-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** A fresh config dir per test; every CLI call in this file goes through here. */
function configDir(name: string): {brink(args: string[]): ReturnType<typeof runCli>; file: string} {
  const cfg = join(dir, name);
  return {brink: (args) => runCli(args, {BRINK_CONFIG_DIR: cfg}), file: join(cfg, 'config.json')};
}

let server: CountingServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.concurrent('brink profile save / list / show / delete', {timeout: 30_000}, () => {
  it('keeps the flags given, shows them, and forgets them', async () => {
    const {brink, file} = configDir('crud');
    const empty = await brink(['profile', 'list']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('no profiles yet');

    const saved = await brink([
      'profile',
      'save',
      'staging',
      '--host',
      'https://staging.example.com',
      '-u',
      '50',
      '-r',
      '5',
      '-t',
      '5m',
      '--workers',
      '2',
      '--timeout',
      '5s',
      '--step',
      '20',
      '--threshold',
      'p95<800ms',
      '--threshold',
      'errors<1%',
      '--headless',
    ]);
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain("saved profile 'staging'");
    expect(saved.stdout).toContain('--profile staging');
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored.profiles.staging.argv).toEqual([
      '--host=https://staging.example.com',
      '--users=50',
      '--spawn-rate=5',
      '--run-time=5m',
      '--workers=2',
      '--timeout=5s',
      '--step=20',
      '--threshold=p95<800ms',
      '--threshold=errors<1%',
      '--headless',
    ]);

    await brink(['profile', 'save', 'local', '--host', 'http://127.0.0.1:8000']);
    const list = await brink(['profile', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^local\s+--host http:\/\/127\.0\.0\.1:8000$/m);
    expect(list.stdout).toMatch(
      /^staging\s+--host https:\/\/staging\.example\.com --users 50 .*--threshold 'p95<800ms' --threshold 'errors<1%' --headless$/m,
    );
    expect(list.stdout).toContain(`config: ${file}`);

    const show = await brink(['profile', 'show', 'staging']);
    expect(show.code).toBe(0);
    expect(show.stdout.split('\n').slice(1, 4)).toEqual(['  --host https://staging.example.com', '  --users 50', '  --spawn-rate 5']);

    const replaced = await brink(['profile', 'save', 'local', '--host', 'http://127.0.0.1:9000']);
    expect(replaced.stdout).toContain("replaced profile 'local'");

    const deleted = await brink(['profile', 'delete', 'staging']);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain("deleted profile 'staging'");
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).profiles)).toEqual(['local']);
  });

  it('a missing profile is a usage error naming it and the ones there are', async () => {
    const {brink} = configDir('missing');
    const none = await brink(['run', 'x.ts', '--profile', 'staging']);
    expect(none.code).toBe(2);
    expect(printedError(none.stderr)).toMatchObject({
      message: "no profile 'staging': none saved yet (brink profile save staging --host <url> …)",
      code: 'BRINK_E_PROFILE',
    });
    await brink(['profile', 'save', 'prod', '-u', '5']);
    await brink(['profile', 'save', 'local', '-u', '1']);
    for (const args of [
      ['run', 'x.ts', '--profile', 'staging'],
      ['http://127.0.0.1:1/', '--profile', 'staging'],
      ['find-limit', 'x.ts', '--profile', 'staging'],
      ['profile', 'show', 'staging'],
      ['profile', 'delete', 'staging'],
    ]) {
      const r = await brink(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(printedError(r.stderr).message).toBe("no profile 'staging' (profiles: local, prod)");
    }
  });

  it('a profile for run or quick mode is not refused for what find-limit would make of it', async () => {
    const {brink} = configDir('modes');
    // find-limit runs its own ramp (it skips a stored -u or --rate) and its --start is the run's to set.
    for (const flags of [
      ['-u', '50', '--max-users', '100'],
      ['--start', '3', '--rate', '5'],
      ['--max-users', '3'],
    ]) {
      const r = await brink(['profile', 'save', 'p', ...flags]);
      expect(r.code, `${flags.join(' ')}: ${r.stderr}`).toBe(0);
    }
    expect((await brink(['profile', 'save', 'p', '--max-users', '0'])).code).toBe(2);
  });

  it('bad values and flags are refused at save, naming the flag; nothing is written', async () => {
    const {brink, file} = configDir('bad');
    const cases: Array<[string[], RegExp]> = [
      [['profile', 'save', 'p', '-u', 'abc'], /^brink: -u\/--users: 'abc' is not a whole number >= 0 \(profile not saved\)\n$/],
      [['profile', 'save', 'p', '--timeout', 'soon'], /--timeout: 'soon' is not a duration/],
      [['profile', 'save', 'p', '-c', '0'], /-c\/--connections: '0' is not a whole number >= 1/],
      [['profile', 'save', 'p', '--threshold', 'p95 is fine'], /^brink: --threshold: /],
      [['profile', 'save', 'p', '--bogus', '1'], /unknown flag --bogus/],
      [['profile', 'save', 'p', '--profile', 'q'], /--profile cannot be kept in a profile/],
      [['profile', 'save', 'p'], /needs the flags to keep/],
      [['profile', 'save', 'a b', '-u', '1'], /'a b' is not a profile name/],
      [['profile', 'save'], /brink profile save needs a profile name/],
      [['profile', 'frob'], /unknown profile subcommand 'frob'/],
      [['profile'], /brink profile needs a subcommand/],
    ];
    for (const [args, message] of cases) {
      const r = await brink(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(`brink: ${printedError(r.stderr).message}\n`, args.join(' ')).toMatch(message);
    }
    expect(existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).profiles).toBeFalsy();
  });

  it('a bad value in a hand-edited profile is reported at run time with the flag and the profile', async () => {
    const {brink, file} = configDir('edited');
    await brink(['profile', 'save', 'p', '-u', '5']);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    stored.profiles.p.argv = ['--users=lots'];
    const {writeFileSync} = await import('node:fs');
    writeFileSync(file, JSON.stringify(stored));
    const r = await brink(['http://127.0.0.1:1/', '--profile', 'p']);
    expect(r.code).toBe(2);
    expect(printedError(r.stderr)).toMatchObject({
      message: "-u/--users: 'lots' is not a whole number >= 1 (--users from profile 'p')",
      code: 'BRINK_E_FLAG_VALUE',
    });
  });
});

describe('--profile and defaults applied to runs', {timeout: 30_000}, () => {
  it("quick mode uses the profile's host and users (a path joins the host); the server sees the load", async () => {
    const {brink} = configDir('quick');
    server = await countingServer();
    const saved = await brink(['profile', 'save', 'local', '--host', server.url, '-u', '3', '-t', '2s', '--workers', '1', '--headless']);
    expect(saved.code).toBe(0);
    const json = join(dir, 'quick-profile.json');
    const r = await brink(['/hello', '--profile', 'local', '--json', json]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(server.counts.get('GET /hello')).toBeGreaterThan(0);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary.peakUsers).toBe(3);
    expect(summary.target).toBe(server.url);
    expect(summary.totals.requests).toBe(server.counts.get('GET /hello'));
  });

  it('flags given win over the profile, which wins over the defaults', async () => {
    const {brink} = configDir('precedence');
    server = await countingServer();
    await brink(['profile', 'defaults', '-u', '2', '-t', '2s', '--workers', '1', '--no-color']);
    await brink(['profile', 'save', 'four', '-u', '4']);
    const defaults = await brink(['profile', 'defaults']);
    expect(defaults.stdout).toMatch(/^defaults .*applied to every run/);
    expect(defaults.stdout).toContain('  --no-color');

    const runs: Array<[string[], number]> = [
      [[`${server.url}/a`], 2], // defaults only
      [[`${server.url}/b`, '--profile', 'four'], 4], // the profile over the defaults
      [[`${server.url}/c`, '--profile', 'four', '-c', '1'], 1], // the command line over both (-c is -u's setting)
    ];
    for (const [args, users] of runs) {
      const json = join(dir, `precedence-${users}.json`);
      const r = await brink([...args, '--json', json]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(readFileSync(json, 'utf8')).peakUsers, args.join(' ')).toBe(users);
    }
    for (const path of ['/a', '/b', '/c']) expect(server.counts.get(`GET ${path}`)).toBeGreaterThan(0);
  });

  it('a scenario run takes the profile host, users and run time', async () => {
    const {brink} = configDir('run');
    server = await countingServer();
    const scenario = join(dir, 'ping.ts');
    const {writeFileSync} = await import('node:fs');
    writeFileSync(
      scenario,
      `import {scenario, user, task, constant} from 'brink';
export default scenario({name: 'ping', users: [user('pinger', {wait: constant(0.05)}, [task(() => {})]), user('getter', {wait: constant(0.05)}, [task(({http}) => http.get('/ping'))])]});
`,
    );
    await brink(['profile', 'save', 'here', '--host', server.url, '-u', '4', '-t', '2s', '--workers', '1']);
    const json = join(dir, 'run-profile.json');
    const r = await brink(['run', scenario, '--profile', 'here', '--headless', '--json', json]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(server.counts.get('GET /ping')).toBeGreaterThan(0);
    const summary = JSON.parse(readFileSync(json, 'utf8'));
    expect(summary.peakUsers).toBe(4);
    expect(summary.target).toBe(`${server.url}/`);
  });
});
