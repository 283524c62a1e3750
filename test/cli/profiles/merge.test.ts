// Profiles as pure functions over argv: reading a command line by meow's spec, the canonical tokens a
// profile keeps, and the merge's precedence (command line > --profile > user defaults > built-in defaults).
import {afterAll, describe, expect, it} from 'vitest';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {FLAGS} from '../../../source/cli/flags.js';
import {UsageError} from '../../../source/kernel/errors.js';
import {canonicalTokens, displayTokens, scanArgv} from '../../../source/cli/scan.js';
import {mergeArgv, type Layer} from '../../../source/cli/profiles/merge.js';
import {blame, parseWithProfiles, profileLayers} from '../../../source/cli/profiles/apply.js';
import {ProfileStore} from '../../../source/config/store.js';

const names = (argv: string[]) => scanArgv(argv, FLAGS).flags.map((u) => [u.name, u.value]);

describe('scanArgv reads a command line as meow does', () => {
  it('long, short, =, --no-, booleans that take no value, repeatable flags and positionals', () => {
    const argv = [
      'run',
      'x.ts',
      '-u',
      '50',
      '-r5',
      '--run-time=1m',
      '--headless',
      'extra',
      '--no-color',
      '--threshold',
      'p95<800ms',
      '-H',
      'A: 1',
      '--threshold=errors<1%',
      '--spawnRate',
      '2',
    ];
    const s = scanArgv(argv, FLAGS);
    expect(s.positionals).toEqual(['run', 'x.ts', 'extra']);
    expect(names(argv)).toEqual([
      ['users', '50'],
      ['spawnRate', '5'],
      ['runTime', '1m'],
      ['headless', true],
      ['color', false],
      ['threshold', 'p95<800ms'],
      ['header', 'A: 1'],
      ['threshold', 'errors<1%'],
      ['spawnRate', '2'],
    ]);
  });

  it('a value that looks like a flag is not taken; negative numbers are values; -- ends the flags', () => {
    expect(names(['--host', '--headless'])).toEqual([
      ['host', ''],
      ['headless', true],
    ]);
    expect(names(['--users', '-1'])).toEqual([['users', '-1']]);
    expect(scanArgv(['run', '--', '--users', '3'], FLAGS).positionals).toEqual(['run', '--users', '3']);
  });

  it('unknown flags are marked, and do not swallow the next token', () => {
    const s = scanArgv(['--bogus', 'run', 'x.ts'], FLAGS);
    expect(s.flags[0]).toMatchObject({name: 'bogus', unknown: true});
    expect(s.positionals).toEqual(['run', 'x.ts']);
  });
});

describe('canonical tokens (what a profile keeps)', () => {
  it('long kebab names with =, booleans as --x/--no-x; the last value wins unless repeatable', () => {
    const uses = scanArgv(
      ['-u', '5', '--headless', '--no-color', '-u', '7', '--threshold', 'p95<1s', '--threshold', 'errors<1%'],
      FLAGS,
    ).flags;
    expect(canonicalTokens(uses, FLAGS)).toEqual(['--users=7', '--headless', '--no-color', '--threshold=p95<1s', '--threshold=errors<1%']);
  });

  it('read back the same, whatever the values look like', () => {
    const tokens = ['--body=--not-a-flag', '--header=X-A: a=b', '--host=http://h:1/p?q=1'];
    expect(canonicalTokens(scanArgv(tokens, FLAGS).flags, FLAGS)).toEqual(tokens);
    expect(displayTokens(tokens, FLAGS)).toEqual(['--body --not-a-flag', "--header 'X-A: a=b'", "--host 'http://h:1/p?q=1'"]);
  });
});

describe('mergeArgv: precedence', () => {
  const profile: Layer = {
    label: "profile 'staging'",
    argv: ['--host=http://staging', '--users=50', '--threshold=p95<800ms', '--headless', '--stages=30s:10,1m:50'],
  };
  const defaults: Layer = {label: 'your defaults', argv: ['--step=25', '--no-color', '--users=5', '--host=http://default', '--timeout=5s']};
  const parse = (argv: string[]) => {
    const m = mergeArgv(argv, [profile, defaults], FLAGS);
    return {merged: m, inv: parseWithProfilesFree(m.argv)};
  };

  it('flags given > profile > defaults > built-in defaults', () => {
    const {inv, merged} = parse(['run', 'x.ts', '-u', '7']);
    expect(inv).toMatchObject({
      command: 'run',
      scenarioFile: 'x.ts',
      users: 7,
      host: 'http://staging/',
      step: 25,
      timeoutMs: 5000,
      headless: true,
      color: false,
      insecure: false,
    });
    expect(inv.thresholds).toHaveLength(1);
    expect(merged.from.get('host')).toBe("profile 'staging'");
    expect(merged.from.get('step')).toBe('your defaults');
    expect(merged.from.has('users')).toBe(false);
  });

  it('the command line comes last, unchanged, after the stored flags', () => {
    const m = mergeArgv(['run', 'x.ts', '--step', '3'], [defaults], FLAGS);
    expect(m.argv).toEqual(['--no-color', '--users=5', '--host=http://default', '--timeout=5s', 'run', 'x.ts', '--step', '3']);
  });

  it('without a profile, the defaults apply; without either, the built-in defaults', () => {
    expect(parseWithProfilesFree(mergeArgv(['run', 'x.ts'], [defaults], FLAGS).argv)).toMatchObject({
      users: 5,
      step: 25,
      host: 'http://default/',
    });
    expect(parseWithProfilesFree(mergeArgv(['run', 'x.ts'], [], FLAGS).argv)).toMatchObject({
      users: 10,
      step: 10,
      host: undefined,
      timeoutMs: 30_000,
      headless: false,
    });
  });

  it('a boolean given as --no-x beats the stored --x', () => {
    expect(parse(['run', 'x.ts', '--no-headless']).inv).toMatchObject({headless: false});
    expect(parse(['run', 'x.ts', '--color']).inv).toMatchObject({color: true});
  });

  it('a repeatable flag given replaces the stored values, it does not add to them', () => {
    const {inv} = parse(['run', 'x.ts', '--threshold', 'errors<1%', '--threshold', 'p99<2s']);
    expect(inv.thresholds).toHaveLength(2);
    expect(JSON.stringify(inv.thresholds)).not.toContain('800');
  });

  it('a load plan given replaces the stored plan whole (no "two plans" error)', () => {
    const {inv} = parse(['run', 'x.ts', '--spike', '100']);
    expect(inv.plan?.kind).toBe('spike');
    expect(parse(['run', 'x.ts']).inv.plan?.kind).toBe('stages');
  });

  it('-c given drops a stored -u (one setting), so quick mode takes the command line', () => {
    const stored: Layer = {label: 'p', argv: ['--users=9', '--run-time=2s']};
    const quick = parseWithProfilesFree(mergeArgv(['http://h/x', '-c', '3'], [stored], FLAGS).argv);
    expect(quick).toMatchObject({command: 'quick', connections: 3, durationMs: 2000});
    expect(parseWithProfilesFree(mergeArgv(['http://h/x'], [stored], FLAGS).argv)).toMatchObject({connections: 9});
  });

  it("a scenario takes -c and -d as -u and -t (a run given -d 45s ends after 45 s), the mode's own letter winning", () => {
    expect(parseWithProfilesFree(['run', 'x.ts', '-c', '7', '-d', '45s'])).toMatchObject({command: 'run', users: 7, durationMs: 45_000});
    expect(parseWithProfilesFree(['run', 'x.ts', '-u', '3', '-c', '7', '-t', '1m', '-d', '45s'])).toMatchObject({
      users: 3,
      durationMs: 60_000,
    });
    expect(parseWithProfilesFree(['demo', '-d', '2s'])).toMatchObject({command: 'demo', users: 20, durationMs: 2000});
    expect(parseWithProfilesFree(['run', 'x.ts'])).toMatchObject({users: 10, durationMs: undefined});
    const steps = parseWithProfilesFree(['run', 'x.ts', '-c', '40', '--step-users', '10', '--step-time', '5s']).plan as {
      kind: string;
      stages: ReadonlyArray<{users: number}>;
    };
    expect(steps.kind).toBe('step');
    expect(steps.stages.map((s) => s.users)).toEqual([10, 20, 30, 40]); // the ramp climbs to -c
    expect(() => parseWithProfilesFree(['run', 'x.ts', '-c', 'many'])).toThrow("-c/--connections: 'many' is not a whole number >= 0");
    expect(() => parseWithProfilesFree(['run', 'x.ts', '-d', 'soon'])).toThrow("-d/--duration: 'soon' is not a duration");
    // And the other way round, as before: quick mode takes -u and -t.
    expect(parseWithProfilesFree(['http://h/x', '-u', '4', '-t', '3s'])).toMatchObject({
      command: 'quick',
      connections: 4,
      durationMs: 3000,
    });
    // With both letters, quick mode's own (-c, -d) win, as a scenario's own (-u, -t) do.
    expect(parseWithProfilesFree(['http://h/x', '-u', '4', '-c', '9', '-t', '3s', '-d', '5s'])).toMatchObject({
      connections: 9,
      durationMs: 5000,
    });
    expect(() => parseWithProfilesFree(['http://h/x', '-u', 'lots'])).toThrow("-u/--users: 'lots' is not a whole number >= 1");
  });

  it('a path in quick mode joins the stored host', () => {
    const inv = parseWithProfilesFree(mergeArgv(['/api/health?x=1'], [profile], FLAGS).argv);
    expect(inv).toMatchObject({command: 'quick', url: 'http://staging/api/health?x=1', connections: 50});
  });

  it('layers never carry --profile, --help or unknown flags', () => {
    const odd: Layer = {label: 'p', argv: ['--profile=other', '--help', '--bogus=1', '--step=4']};
    expect(mergeArgv(['run', 'x.ts'], [odd], FLAGS).argv).toEqual(['--step=4', 'run', 'x.ts']);
  });

  it('a stored string flag without a value cannot take the command as its value', () => {
    const broken: Layer = {label: 'p', argv: ['--host']};
    expect(mergeArgv(['run', 'x.ts'], [broken], FLAGS).argv).toEqual(['--host=', 'run', 'x.ts']);
  });
});

describe('blame: errors caused by a stored flag name where it came from', () => {
  const from = new Map([
    ['users', "profile 'staging'"],
    ['step', 'your defaults'],
  ]);
  it('names the flag and its level', () => {
    expect(blame("-u/--users: 'abc' is not a whole number >= 0", from)).toBe(" (--users from profile 'staging')");
    expect(blame("--step-users: 'x' is not a whole number", from)).toBe('');
    expect(blame('--timeout: bad', from)).toBe('');
  });
});

const dir = mkdtempSync(join(tmpdir(), 'brink-config-unit-'));
const store = await ProfileStore.open({BRINK_CONFIG_DIR: dir}, {writing: true});

describe('parseWithProfiles with a store in a temp dir', () => {
  afterAll(() => rmSync(dir, {recursive: true, force: true}));
  store.save('staging', ['--host=http://staging', '--users=abc']);
  store.save('defaults', ['--step=25']);

  it('the store is where BRINK_CONFIG_DIR says', () => {
    expect(store.path).toBe(join(dir, 'config.json'));
  });

  it('applies --profile and the defaults; a bad stored value is reported with the flag and the profile', () => {
    expect(parseWithProfiles(['run', 'x.ts', '-u', '3', '--profile', 'staging'], '0.0.0', store)).toMatchObject({
      users: 3,
      step: 25,
      host: 'http://staging/',
    });
    expect(() => parseWithProfiles(['run', 'x.ts', '--profile', 'staging'], '0.0.0', store)).toThrow(
      "-u/--users: 'abc' is not a whole number >= 0 (--users from profile 'staging')",
    );
  });

  it('a missing profile is a usage error naming it and the ones there are', () => {
    expect(() => profileLayers(['run', 'x.ts', '--profile', 'nope'], store)).toThrow(UsageError);
    expect(() => profileLayers(['run', 'x.ts', '--profile', 'nope'], store)).toThrow("no profile 'nope' (profiles: defaults, staging)");
  });

  it('commands that are not runs are parsed without profiles', () => {
    expect(profileLayers(['run', 'x.ts'], store).map((l) => l.label)).toEqual(['your defaults (brink profile defaults)']);
    expect(profileLayers(['run', 'x.ts', '--profile', 'defaults'], store).map((l) => l.label)).toEqual(["profile 'defaults'"]);
  });
});

describe('find-limit and the load-shape flags it does not use', () => {
  const typed: Array<[string[], string, RegExp]> = [
    [['-u', '50'], '-u/--users', /--start by --step-users/],
    [['-c', '50'], '-c/--connections', /--max-users/],
    [['-t', '5m'], '-t/--run-time', /until it finds the limit/],
    [['--duration=30s'], '-d/--duration', /--recovery-timeout/],
    [['-r', '5'], '-r/--spawn-rate', /at once/],
    [['--stages', '30s:10,1m:50'], '--stages', /--step-time/],
    [['--rate', '20'], '--rate', /--step-users/],
    [['--step-down'], '--step-down', /baseline/],
  ];

  it('refuses one typed on its command line, naming the flag and what to use instead', () => {
    for (const [flags, name, instead] of typed) {
      const parse = () => parseWithProfiles(['find-limit', 'http://127.0.0.1:1/', ...flags], '0.0.0', emptyStore);
      expect(parse, flags.join(' ')).toThrow(UsageError);
      expect(parse, flags.join(' ')).toThrow(`find-limit does not take ${name}: `);
      expect(parse, flags.join(' ')).toThrow(instead);
    }
  });

  it('leaves the same flags alone when a profile or the defaults give them: they serve the other modes', () => {
    shapes.save('everywhere', ['--users=50', '--run-time=5m', '--spawn-rate=5', '--stages=30s:10', '--step-down']);
    expect(
      parseWithProfiles(['find-limit', 'http://127.0.0.1:1/', '--profile', 'everywhere', '--start', '3'], '0.0.0', shapes),
    ).toMatchObject({command: 'find-limit', start: 3, stepUsers: 3, maxUsers: 1000});
    expect(parseWithProfiles(['run', 'x.ts', '--profile', 'everywhere'], '0.0.0', shapes)).toMatchObject({
      command: 'run',
      users: 50,
      durationMs: 300_000,
    });
    // Typed, the same flag is refused even when the profile has it too.
    expect(() => parseWithProfiles(['find-limit', 'http://127.0.0.1:1/', '--profile', 'everywhere', '-u', '9'], '0.0.0', shapes)).toThrow(
      'does not take -u/--users',
    );
  });
});

const shapesDir = mkdtempSync(join(tmpdir(), 'brink-config-shapes-'));
const shapes = await ProfileStore.open({BRINK_CONFIG_DIR: shapesDir}, {writing: true});
afterAll(() => rmSync(shapesDir, {recursive: true, force: true}));

/** parseArgs on merged argv, through parseWithProfiles with an empty store (no --profile, no defaults). */
function parseWithProfilesFree(argv: string[]) {
  const inv = parseWithProfiles(argv, '0.0.0', emptyStore);
  if (!('step' in inv)) throw new Error('not a run');
  return inv;
}

const emptyDir = mkdtempSync(join(tmpdir(), 'brink-config-empty-'));
const emptyStore = await ProfileStore.open({BRINK_CONFIG_DIR: emptyDir});
afterAll(() => rmSync(emptyDir, {recursive: true, force: true}));
