// A command line → a typed invocation, by the command table. Every mistake becomes a UsageError naming the
// flag to fix. `brink init` and `brink profile` read their own (init.ts, profiles/command.ts).
import {UsageError} from '../kernel/errors.js';
import {parseTolerance} from '../report/compare.js';
import {parseThreshold} from '../analysis/thresholds.js';
import {parseMetricsAddress} from '../report/prometheus.js';
import {readCommandLine} from './command-line.js';
import {FlagValues} from './flag-values.js';
import {label, type FlagName} from './flags.js';
import type {Common, Compare, Invocation, Request} from './invocation.js';
import {planFromFlags} from './plan-flags.js';
import {STDOUT} from '../report/outputs.js';
import {body, duration, headers, int, number, outputPath, url, usage} from './values.js';
import {agentsFromFlags} from './agent-flags.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/**
 * `stored`: the flags that came from a profile or the user's defaults (by name), not typed on this command
 * line. A stored flag a command does not use is left alone (one profile serves every mode); a typed one is
 * refused, as the user expects it to act.
 */
export function parseArgs(argv: ReadonlyArray<string>, version: string, stored: ReadonlyMap<string, string> = new Map()): Invocation {
  const line = readCommandLine(argv, stored);
  if (line.asks === 'version') return {command: 'version', version};
  if (line.asks === 'help' || line.command === undefined) return {command: 'help', topic: line.command};
  const {command} = line;
  const [first, ...rest] = line.positionals;
  const f = new FlagValues(line.uses, command);
  if (command === 'compare') return compareInvocation(rest, f);
  if (command === 'init' || command === 'profile' || command === 'agent') throw new Error(`brink ${command} reads its own command line`);
  // -u/-c and -t/-d are one setting each: quick mode takes -u and -t too, and scenarios (run, demo) take -c and
  // -d, so one profile serves every mode and neither letter is ignored (the mode's own letter wins over the other).
  const scenarioMode = command === 'run' || command === 'demo';
  const [ownLoad, otherLoad]: FlagName[] = scenarioMode ? ['users', 'connections'] : ['connections', 'users'];
  const loadKey = f.has(ownLoad) || !f.has(otherLoad) ? ownLoad : otherLoad;
  const [ownTime, otherTime]: FlagName[] = scenarioMode ? ['runTime', 'duration'] : ['duration', 'runTime'];
  const timeKey = f.has(ownTime) || !f.has(otherTime) ? ownTime : otherTime;
  const loadFlag = label(loadKey);
  // A scenario's users (it may start with none), or quick mode's connections (at least one).
  const loaded = f.string(loadKey);
  const loadUsers = loaded === undefined ? f.builtInNumber(ownLoad) : int(loaded, loadFlag, scenarioMode ? 0 : 1);
  const timed = f.string(timeKey);
  // Read only by the commands that use it: find-limit skips a stored -t, whatever it says.
  const runTimeMs = () => (timed === undefined ? undefined : duration(timed, label(timeKey)));
  const common = commonOptions(f, command === 'find-limit' ? undefined : planFromFlags(f, loadUsers, loadFlag));
  const host = () => (f.has('host') ? url(f.string('host')!, '--host') : undefined);
  // Without -r, the plan decides (a 1 s ramp: plan.ts, defaultSpawnRate).
  const spawnRate = f.has('spawnRate') ? number(f.string('spawnRate')!, '-r/--spawn-rate') : undefined;
  switch (command) {
    case 'run':
      if (!rest[0]) throw new UsageError('brink run needs a scenario file: brink run <scenario.ts> --host <url>');
      if (rest.length > 1) throw new UsageError(`unexpected argument '${rest[1]}' after the scenario file`);
      return {...common, command, scenarioFile: rest[0], host: host(), users: loadUsers, spawnRate, durationMs: runTimeMs()};
    case 'find-limit': {
      if (!rest[0]) {
        throw new UsageError('brink find-limit needs a scenario file or a URL: brink find-limit <scenario.ts|url> [--host <url>]');
      }
      const start = int(f.or('start'), '--start', 1);
      return {
        ...common,
        ...request(f),
        command,
        target: /^https?:\/\//i.test(rest[0]) ? url(rest[0], 'the URL') : rest[0],
        host: host(),
        start,
        stepUsers: f.has('stepUsers') ? int(f.string('stepUsers')!, '--step-users', 1) : start,
        stepTimeMs: duration(f.or('stepTime'), '--step-time'),
        maxUsers: f.has('maxUsers') ? int(f.string('maxUsers')!, '--max-users', start) : f.builtInNumber('maxUsers'),
        recoveryTimeoutMs: duration(f.or('recoveryTimeout'), '--recovery-timeout'),
      };
    }
    case 'demo':
      return {
        ...common,
        command,
        serveOnly: f.bool('serveOnly'),
        port: f.has('port') ? int(f.string('port')!, '--port', 0) : undefined,
        users: loadUsers,
        spawnRate,
        durationMs: runTimeMs(),
      };
    case 'quick': {
      // A full URL, or a path on --host (e.g. from a profile).
      const quickUrl = /^https?:\/\//i.test(first)
        ? url(first, 'the URL')
        : f.has('host')
          ? url(url(f.string('host')!, '--host').replace(/\/$/, '') + first, 'the URL')
          : undefined;
      if (quickUrl === undefined) {
        throw new UsageError(`'${first}' is a path: give a full URL, or --host <url> (or a --profile with a host) to run it against`);
      }
      if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}' after the URL`);
      const requests = f.has('requests') ? int(f.string('requests')!, '-n/--requests', 1) : undefined;
      // Without -d (or -t): its built-in default, or as long as the plan when one is given, or until the n-th request.
      const durationMs = runTimeMs() ?? (common.plan || requests !== undefined ? undefined : duration(f.or('duration'), '-d/--duration'));
      return {...common, ...request(f), command, url: quickUrl, connections: loadUsers, durationMs, requests};
    }
  }
}

function commonOptions(f: FlagValues, plan: Common['plan']): Common {
  const path = (name: 'json' | 'html' | 'md') => (f.has(name) ? outputPath(f.string(name)!, `--${name}`) : undefined);
  const prefix = f.string('csv');
  const csv =
    prefix === undefined
      ? undefined
      : outputPath(prefix, '--csv', {
          stdout: false,
          files: [
            '_stats.csv',
            '_stats_history.csv',
            '_failures.csv',
            '_exceptions.csv',
            '_brink_failure_kinds.csv',
            '_brink_history.csv',
          ].map((s) => prefix + s),
        });
  const reports = {json: path('json'), csv, html: path('html'), md: path('md')};
  if (f.bool('csvFullHistory') && csv === undefined) usage('--csv-full-history goes with --csv <prefix>');
  const toStdout = (['json', 'html', 'md'] as const).filter((name) => reports[name] === STDOUT);
  if (toStdout.length > 1)
    throw new UsageError(
      `--${toStdout[0]} and --${toStdout[1]} both go to stdout: only one report can (give the other a file)`,
      'BRINK_E_OUTPUT',
    );
  const metrics = f.string('metrics');
  return {
    plan,
    agents: agentsFromFlags(f),
    headless: f.bool('headless'),
    ...reports,
    csvFullHistory: f.bool('csvFullHistory'),
    release: f.has('release') ? f.string('release')!.trim() || usage('--release needs the commit or version under test') : undefined,
    workers: f.has('workers') ? int(f.string('workers')!, '--workers', 1) : undefined,
    timeoutMs: duration(f.or('timeout'), '--timeout'),
    taskTimeoutMs: duration(f.or('taskTimeout'), '--task-timeout'),
    step: int(f.or('step'), '--step', 1),
    insecure: f.bool('insecure'),
    http2: f.bool('http2'),
    // Unset unless given: NO_COLOR / FORCE_COLOR and the terminal decide (false here had turned colour off for good).
    color: f.has('color') ? f.bool('color') : undefined,
    yes: f.bool('yes'),
    stripHeaders: f.list('stripHeader').map((name) => headerName(name, '--strip-header')),
    // -q (oha's spelling, quick mode) is --max-rps by another name.
    maxRps: f.has('qps') ? number(f.string('qps')!, '-q/--qps') : f.has('maxRps') ? number(f.string('maxRps')!, '--max-rps') : undefined,
    metrics:
      metrics === undefined
        ? undefined
        : (parseMetricsAddress(metrics) ?? usage(`--metrics: '${metrics}' is not [host:]port (e.g. 9464 or 127.0.0.1:9464)`)),
    thresholds: f.list('threshold').map((t) => {
      try {
        return parseThreshold(t);
      } catch (error) {
        throw new UsageError(`--threshold: ${(error as Error).message}`, 'BRINK_E_THRESHOLD');
      }
    }),
    abortAfterMs: f.bool('abortOnFail')
      ? duration(f.or('abortGrace'), '--abort-grace')
      : f.has('abortGrace')
        ? usage('--abort-grace goes with --abort-on-fail')
        : undefined,
  };
}

/** Quick mode's and find-limit's request: GET, or POST when it has a body, unless -m says. */
function request(f: FlagValues): Request {
  const given = f.string('method');
  const method = (given ?? (f.has('body') ? 'POST' : 'GET')).toUpperCase();
  if (!METHODS.includes(method)) throw new UsageError(`-m/--method: '${given}' is not one of ${METHODS.join(', ')}`, 'BRINK_E_FLAG_VALUE');
  return {
    method,
    headers: headers(f.list('header')),
    body: f.has('body') ? body(f.string('body')!) : undefined,
    maxRedirects: int(f.or('maxRedirects'), '--max-redirects', 0),
  };
}

/** A header's name as --strip-header takes it: a token, in lower case. */
function headerName(name: string, flag: string): string {
  const trimmed = name.trim();
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(trimmed)) {
    throw new UsageError(`${flag}: '${name}' is not a header name (X-Api-Key, X-Auth-Token)`, 'BRINK_E_FLAG_VALUE');
  }
  return trimmed.toLowerCase();
}

/** `brink compare old.json new.json [--tolerance 10%]`: only --tolerance applies (command-line.ts refuses the rest). */
function compareInvocation(rest: ReadonlyArray<string>, f: FlagValues): Compare {
  if (rest.length !== 2) throw new UsageError('brink compare needs two summaries: brink compare <old.json> <new.json> [--tolerance 10%]');
  return {command: 'compare', oldFile: rest[0], newFile: rest[1], tolerance: parseTolerance(f.or('tolerance'))};
}
