// Command line → a typed invocation. Every mistake becomes a UsageError naming the flag to fix.
import {existsSync, readFileSync} from 'node:fs';
import {dirname} from 'node:path';
import meow, {type AnyFlags} from 'meow';
import {HELP} from './help.js';
import {parseDuration} from '../kernel/duration.js';
import {UsageError} from '../kernel/errors.js';
import {parseTolerance} from '../report/compare.js';
import {parseThreshold, type Threshold} from '../analysis/thresholds.js';
import {parseMetricsAddress, type MetricsAddress} from '../report/prometheus.js';
import {asRate, spike, stages, stepRamp, type PlanSpec} from '../plan/plan.js';

export interface Common {
  /** `--threshold` expressions, parsed; the scenario's own are added when it loads. */
  readonly thresholds: ReadonlyArray<Threshold>;
  /** --yes: no question before loading a host that is not loopback or private. */
  readonly yes: boolean;
  /** --max-rps: requests a second brink never exceeds, across all workers. */
  readonly maxRps?: number;
  /** --metrics: serve Prometheus metrics at this address during the run. */
  readonly metrics?: MetricsAddress;
  /** With --abort-on-fail: stop when a threshold stays broken this long. */
  readonly abortAfterMs?: number;
  /** A load plan given by flags; undefined: the scenario's plan, or constant users. */
  readonly plan?: PlanSpec;
  readonly headless: boolean;
  readonly json?: string;
  readonly workers?: number;
  readonly timeoutMs: number;
  /** --task-timeout: a scenario task still running after this long is a script failure (default 60 s). */
  readonly taskTimeoutMs: number;
  readonly step: number;
  readonly insecure: boolean;
  /** --color / --no-color; undefined: NO_COLOR decides. */
  readonly color?: boolean;
  /** Reports written at the end: --csv <prefix> (Locust's three files), --html <file>, --md <file> (release record). */
  readonly csv?: string;
  readonly html?: string;
  readonly md?: string;
  /** --release <commit>: the target's version under test, for the reports. */
  readonly release?: string;
}

export type Invocation =
  | (Common & {readonly command: 'run'; readonly scenarioFile: string; readonly host?: string; readonly users: number; readonly spawnRate: number; readonly durationMs?: number})
  | (Common & {readonly command: 'quick'; readonly url: string; readonly connections: number; readonly durationMs?: number; readonly method: string; readonly headers: Record<string, string>; readonly body?: string})
  | (Common & {readonly command: 'find-limit'; readonly target: string; readonly host?: string; readonly start: number; readonly stepUsers: number; readonly stepTimeMs: number; readonly maxUsers: number; readonly recoveryTimeoutMs: number; readonly method: string; readonly headers: Record<string, string>; readonly body?: string})
  | (Common & {readonly command: 'demo'; readonly serveOnly: boolean; readonly port?: number; readonly users: number; readonly spawnRate: number; readonly durationMs?: number})
  | {readonly command: 'compare'; readonly oldFile: string; readonly newFile: string; readonly tolerance: number};

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** meow's flag spec, shared with profiles (source/config), which read and merge argv with it. */
export const FLAGS = {
      users: {type: 'string', shortFlag: 'u'},
      spawnRate: {type: 'string', shortFlag: 'r'},
      runTime: {type: 'string', shortFlag: 't'},
      host: {type: 'string'},
      connections: {type: 'string', shortFlag: 'c'},
      duration: {type: 'string', shortFlag: 'd'},
      method: {type: 'string', shortFlag: 'm'},
      header: {type: 'string', shortFlag: 'H', isMultiple: true},
      body: {type: 'string'},
      headless: {type: 'boolean', default: false},
      json: {type: 'string'},
      csv: {type: 'string'},
      html: {type: 'string'},
      md: {type: 'string'},
      release: {type: 'string'},
      tolerance: {type: 'string'},
      workers: {type: 'string'},
      timeout: {type: 'string'},
      taskTimeout: {type: 'string'},
      step: {type: 'string'},
      insecure: {type: 'boolean', default: false},
      serveOnly: {type: 'boolean', default: false},
      port: {type: 'string'},
      stepUsers: {type: 'string'},
      stepTime: {type: 'string'},
      hold: {type: 'string'},
      stepDown: {type: 'boolean', default: false},
      stages: {type: 'string'},
      spike: {type: 'string'},
      spikeTime: {type: 'string'},
      warmup: {type: 'string'},
      recovery: {type: 'string'},
      start: {type: 'string'},
      rate: {type: 'string'},
      threshold: {type: 'string', isMultiple: true},
      metrics: {type: 'string'},
      yes: {type: 'boolean', default: false},
      maxRps: {type: 'string'},
      abortOnFail: {type: 'boolean', default: false},
      abortGrace: {type: 'string'},
      rateStages: {type: 'string'},
      maxUsers: {type: 'string'},
      recoveryTimeout: {type: 'string'},
      profile: {type: 'string'},
      color: {type: 'boolean'},
} satisfies AnyFlags;

/**
 * `stored`: the flags that came from a profile or the user's defaults (by name), not typed on this command
 * line. A stored flag a command does not use is left alone (one profile serves every mode); a typed one is
 * refused, as the user expects it to act.
 */
export function parseArgs(argv: string[], version: string, stored: ReadonlyMap<string, string> = new Map()): Invocation {
  const cli = meow(HELP, {
    importMeta: import.meta,
    argv,
    version,
    allowUnknownFlags: true,
    flags: FLAGS,
  });
  const f = cli.flags;
  const unknown = Object.keys(f).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) throw new UsageError(`unknown flag --${kebab(unknown[0])} (see brink --help)`);
  const [first, ...rest] = cli.input;
  if (!first) {
    cli.showHelp(0);
  }
  if (first === 'compare') return compareInvocation(rest, f as Flags);
  if (f.tolerance !== undefined) throw new UsageError('--tolerance goes with brink compare');
  // -u/-c and -t/-d are one setting each: quick mode takes -u and -t too, and scenarios (run, demo) take -c and
  // -d, so one profile serves every mode and neither letter is ignored (the mode's own letter wins over the other).
  const scenarioMode = first === 'run' || first === 'demo';
  const loadKey = eitherFlag(f, scenarioMode ? 'users' : 'connections', scenarioMode ? 'connections' : 'users');
  const loadFlag = PAIRED_FLAGS[loadKey];
  const loadCount = (fallback: number, min: number) => f[loadKey] === undefined ? fallback : int(f[loadKey], loadFlag, min);
  const timeKey = eitherFlag(f, scenarioMode ? 'runTime' : 'duration', scenarioMode ? 'duration' : 'runTime');
  const runTimeMs = () => f[timeKey] === undefined ? undefined : duration(f[timeKey], PAIRED_FLAGS[timeKey]);
  // A scenario's users (it may start with none), or quick mode's connections (at least one).
  const loadUsers = first === 'demo' ? loadCount(20, 0) : first === 'run' ? loadCount(10, 0) : loadCount(50, 1);
  const common: Common = {
    plan: first === 'find-limit' ? undefined : planFromFlags(f as Flags, loadUsers, loadFlag),
    headless: f.headless,
    json: f.json,
    csv: f.csv === undefined ? undefined : outputPath(f.csv, '--csv'),
    html: f.html === undefined ? undefined : outputPath(f.html, '--html'),
    md: f.md === undefined ? undefined : outputPath(f.md, '--md'),
    release: f.release === undefined ? undefined : f.release.trim() || usage('--release needs the commit or version under test'),
    workers: f.workers === undefined ? undefined : int(f.workers, '--workers', 1),
    timeoutMs: f.timeout === undefined ? 30_000 : duration(f.timeout, '--timeout'),
    taskTimeoutMs: f.taskTimeout === undefined ? 60_000 : duration(f.taskTimeout, '--task-timeout'),
    step: f.step === undefined ? 10 : int(f.step, '--step', 1),
    insecure: f.insecure,
    color: f.color,
    yes: f.yes,
    maxRps: f.maxRps === undefined ? undefined : number(f.maxRps, '--max-rps'),
    metrics: f.metrics === undefined ? undefined : parseMetricsAddress(f.metrics) ?? usage(`--metrics: '${f.metrics}' is not [host:]port (e.g. 9464 or 127.0.0.1:9464)`),
    thresholds: (f.threshold ?? []).map((t) => {
      try {
        return parseThreshold(t);
      } catch (error) {
        throw new UsageError(`--threshold: ${(error as Error).message}`);
      }
    }),
    abortAfterMs: f.abortOnFail ? duration(f.abortGrace ?? '10s', '--abort-grace') : f.abortGrace !== undefined ? usage('--abort-grace goes with --abort-on-fail') : undefined,
  };
  if (first === 'run') {
    if (!rest[0]) throw new UsageError('brink run needs a scenario file: brink run <scenario.ts> --host <url>');
    if (rest.length > 1) throw new UsageError(`unexpected argument '${rest[1]}' after the scenario file`);
    return {
      ...common,
      command: 'run',
      scenarioFile: rest[0],
      host: f.host === undefined ? undefined : url(f.host, '--host'),
      users: loadUsers,
      spawnRate: f.spawnRate === undefined ? Math.max(1, loadUsers) : number(f.spawnRate, '-r/--spawn-rate'),
      durationMs: runTimeMs(),
    };
  }
  if (first === 'find-limit') {
    if (!rest[0]) throw new UsageError('brink find-limit needs a scenario file or a URL: brink find-limit <scenario.ts|url> [--host <url>]');
    const ignored = Object.keys(NOT_FOR_FIND_LIMIT).find((k) => f[k] !== undefined && f[k] !== false && !stored.has(k));
    if (ignored) throw new UsageError(`find-limit does not take ${flagName(ignored)}: ${NOT_FOR_FIND_LIMIT[ignored]}`);
    const start = f.start === undefined ? 5 : int(f.start, '--start', 1);
    const method = (f.method ?? (f.body !== undefined ? 'POST' : 'GET')).toUpperCase();
    if (!METHODS.includes(method)) throw new UsageError(`-m/--method: '${f.method}' is not one of ${METHODS.join(', ')}`);
    const isUrl = /^https?:\/\//i.test(rest[0]);
    return {
      ...common,
      command: 'find-limit',
      target: isUrl ? url(rest[0], 'the URL') : rest[0],
      host: f.host === undefined ? undefined : url(f.host, '--host'),
      start,
      stepUsers: f.stepUsers === undefined ? start : int(f.stepUsers, '--step-users', 1),
      stepTimeMs: duration(f.stepTime ?? '15s', '--step-time'),
      maxUsers: f.maxUsers === undefined ? 1000 : int(f.maxUsers, '--max-users', start),
      recoveryTimeoutMs: duration(f.recoveryTimeout ?? '60s', '--recovery-timeout'),
      method,
      headers: headers(f.header ?? []),
      body: f.body === undefined ? undefined : body(f.body),
    };
  }
  if (first === 'demo') {
    return {
      ...common,
      command: 'demo',
      serveOnly: f.serveOnly,
      port: f.port === undefined ? undefined : int(f.port, '--port', 0),
      users: loadUsers,
      spawnRate: f.spawnRate === undefined ? Math.max(5, loadUsers) : number(f.spawnRate, '-r/--spawn-rate'),
      durationMs: runTimeMs(),
    };
  }
  // Quick mode: a full URL, or a path on --host (e.g. from a profile).
  const quickUrl = /^https?:\/\//i.test(first) ? url(first, 'the URL')
    : first.startsWith('/') && f.host !== undefined ? url(url(f.host, '--host').replace(/\/$/, '') + first, 'the URL') : undefined;
  if (quickUrl !== undefined) {
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}' after the URL`);
    const method = (f.method ?? (f.body !== undefined ? 'POST' : 'GET')).toUpperCase();
    if (!METHODS.includes(method)) throw new UsageError(`-m/--method: '${f.method}' is not one of ${METHODS.join(', ')}`);
    return {
      ...common,
      command: 'quick',
      url: quickUrl,
      connections: loadUsers,
      // Without -d (or -t): 10 s, or as long as the plan when one is given.
      durationMs: runTimeMs() ?? (common.plan ? undefined : 10_000),
      method,
      headers: headers(f.header ?? []),
      body: f.body === undefined ? undefined : body(f.body),
    };
  }
  if (first.startsWith('/')) throw new UsageError(`'${first}' is a path: give a full URL, or --host <url> (or a --profile with a host) to run it against`);
  throw new UsageError(`unknown command '${first}': use brink run <scenario.ts>, brink find-limit <scenario.ts|url>, brink demo, brink compare <old.json> <new.json>, or brink <http://url>`);
}

/** Load-shape flags find-limit would ignore (it runs its own step ramp), with what to use instead. */
const CLIMB = 'it climbs from --start by --step-users every --step-time, up to --max-users';
const UNTIL = 'it runs until it finds the limit and times the recovery (bounded by --max-users and --recovery-timeout)';
const NOT_FOR_FIND_LIMIT: Record<string, string> = {
  users: CLIMB, connections: CLIMB, spawnRate: 'each step starts its users at once',
  runTime: UNTIL, duration: UNTIL,
  stages: CLIMB, spike: CLIMB, spikeTime: CLIMB, warmup: CLIMB, recovery: 'it times the recovery itself (--recovery-timeout bounds it)',
  rate: CLIMB, rateStages: CLIMB, hold: CLIMB, stepDown: 'it drops back to its baseline by itself once it finds the limit',
};

/** A flag as the help shows it: the paired ones and -r with their letter. */
function flagName(name: string): string {
  return name in PAIRED_FLAGS ? PAIRED_FLAGS[name as keyof typeof PAIRED_FLAGS] : name === 'spawnRate' ? '-r/--spawn-rate' : `--${kebab(name)}`;
}

/** The flags that share a setting in pairs (-u/-c, -t/-d), by name, as errors show them. */
const PAIRED_FLAGS = {users: '-u/--users', connections: '-c/--connections', runTime: '-t/--run-time', duration: '-d/--duration'} as const;

/** Which of a pair a mode reads: its own letter, or the other when only that one was given. */
function eitherFlag<K extends keyof typeof PAIRED_FLAGS>(f: Partial<Record<K, string>>, own: K, other: K): K {
  return f[own] === undefined && f[other] !== undefined ? other : own;
}

/** `brink compare old.json new.json [--tolerance 10%]`: only --tolerance applies. */
function compareInvocation(rest: string[], f: Flags): Invocation {
  if (rest.length !== 2) throw new UsageError('brink compare needs two summaries: brink compare <old.json> <new.json> [--tolerance 10%]');
  const stray = Object.entries(f).find(([k, v]) => k !== 'tolerance' && v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0));
  if (stray) throw new UsageError(`--${kebab(stray[0])} does not go with brink compare (only --tolerance does)`);
  return {command: 'compare', oldFile: rest[0], newFile: rest[1], tolerance: parseTolerance((f.tolerance as string | undefined) ?? '10%')};
}

/** A report's path (or --csv prefix): its directory must exist, so a long run never ends unable to write. */
function outputPath(file: string, flag: string): string {
  if (file.trim() === '') throw new UsageError(`${flag} needs a file name`);
  const dir = dirname(file);
  if (!existsSync(dir)) throw new UsageError(`${flag}: the directory ${dir} does not exist`);
  return file;
}

const KNOWN = new Set(['users', 'spawnRate', 'runTime', 'host', 'connections', 'duration', 'method', 'header', 'body', 'headless', 'json', 'workers', 'timeout', 'taskTimeout', 'step', 'insecure', 'serveOnly', 'port', 'help', 'version',
  'stepUsers', 'stepTime', 'hold', 'stepDown', 'stages', 'spike', 'spikeTime', 'warmup', 'recovery', 'start', 'maxUsers', 'recoveryTimeout', 'rate', 'rateStages', 'threshold', 'abortOnFail', 'abortGrace', 'metrics', 'yes', 'maxRps', 'profile', 'color', 'csv', 'html', 'md', 'release', 'tolerance']);

type Flags = Record<string, string | boolean | string[] | undefined>;

/** `--step-users/--step-time` (Locust's step load, up to -u), `--stages` (k6), or `--spike` (from -u). */
function planFromFlags(f: Flags, users: number, usersFlag: string): PlanSpec | undefined {
  const given = ['stepUsers', 'stages', 'spike', 'rate', 'rateStages'].filter((k) => f[k] !== undefined);
  if (given.length > 1) throw new UsageError(`--${kebab(given[0])} and --${kebab(given[1])} are two plans: choose one`);
  if (f.stepUsers !== undefined || f.stepTime !== undefined) {
    if (f.stepUsers === undefined || f.stepTime === undefined) throw new UsageError('a step ramp needs both --step-users <n> and --step-time <dur> (it climbs to ' + usersFlag + ')');
    const step = int(f.stepUsers as string, '--step-users', 1);
    if (users < step) throw new UsageError(`${usersFlag} (${users}) is the top of the step ramp: make it at least --step-users (${step})`);
    return stepRamp({start: step, step, everyMs: duration(f.stepTime as string, '--step-time'), max: users,
      holdMs: f.hold === undefined ? undefined : duration(f.hold as string, '--hold'), down: f.stepDown === true});
  }
  const maxUsers = f.maxUsers === undefined ? 1000 : int(f.maxUsers as string, '--max-users', 1);
  if (f.rate !== undefined) {
    const rate = number(f.rate as string, '--rate');
    return asRate({kind: 'constant', description: `constant ${rate} users`, baselineUsers: rate, stages: []}, maxUsers);
  }
  if (f.stages !== undefined || f.rateStages !== undefined) {
    const flag = f.stages !== undefined ? '--stages' : '--rate-stages';
    const list = ((f.stages ?? f.rateStages) as string).split(',').map((part) => {
      const m = /^\s*([^:]+):(\d+)\s*$/.exec(part);
      if (!m) throw new UsageError(`${flag}: '${part.trim()}' is not duration:${flag === '--stages' ? 'users' : 'rate'} (e.g. ${flag} 30s:10,2m:50,30s:0)`);
      return {durationMs: duration(m[1], flag), users: Number(m[2])};
    });
    return flag === '--stages' ? stages(list) : asRate(stages(list), maxUsers);
  }
  if (f.spike !== undefined) {
    const peak = int(f.spike as string, '--spike', 1);
    return spike({baseline: users, peak, spikeMs: duration((f.spikeTime as string | undefined) ?? '30s', '--spike-time'),
      warmupMs: duration((f.warmup as string | undefined) ?? '30s', '--warmup'), recoveryMs: duration((f.recovery as string | undefined) ?? '1m', '--recovery')});
  }
  for (const k of ['hold', 'spikeTime', 'warmup', 'recovery']) {
    if (f[k] !== undefined) throw new UsageError(`--${kebab(k)} goes with ${k === 'hold' ? '--step-users/--step-time' : '--spike'}`);
  }
  if (f.stepDown === true) throw new UsageError('--step-down goes with --step-users/--step-time');
  return undefined;
}

function usage(message: string): never {
  throw new UsageError(message);
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function number(text: string, flag: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag}: '${text}' is not a positive number`);
  return n;
}

function int(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min) throw new UsageError(`${flag}: '${text}' is not a whole number >= ${min}`);
  return n;
}

function duration(text: string, flag: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new UsageError(`${flag}: '${text}' is not a duration (use e.g. 30s, 5m, 1h30m, 500ms)`);
  return ms;
}

function url(text: string, flag: string): string {
  try {
    const u = new URL(text);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    return u.href;
  } catch {
    throw new UsageError(`${flag}: '${text}' is not an http(s) URL`);
  }
}

function headers(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const i = h.indexOf(':');
    if (i <= 0) throw new UsageError(`-H/--header: '${h}' is not 'Name: value'`);
    out[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  return out;
}

function body(text: string): string {
  if (!text.startsWith('@')) return text;
  try {
    return readFileSync(text.slice(1), 'utf8');
  } catch (error) {
    throw new UsageError(`--body: cannot read ${text.slice(1)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
