// brink's command line: parse, then run a scenario, quick mode, or the demo.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import type {Demo, FindLimit, Quick, Request, Run} from './cli/invocation.js';
import {readCommandLine} from './cli/command-line.js';
import {helpText} from './cli/help.js';
import {builtIn} from './cli/flags.js';
import {parseWithProfiles} from './cli/profiles/apply.js';
import {profileCommand} from './cli/profiles/command.js';
import {ProfileStore} from './config/store.js';
import {parseDuration} from './kernel/duration.js';
import {BrinkError, ERROR_CODES, EXIT, UsageError, formatError} from './kernel/errors.js';
import {runLoad} from './cli/run.js';
import {installInterrupts} from './cli/interrupts.js';
import {installStreams} from './cli/streams.js';
import {splitUserinfo, withAuthorization} from './cli/target-url.js';
import {compareFiles} from './report/compare.js';
import type {Summary} from './report/summary.js';
import {nothingSucceeded} from './report/text.js';
import {constantPlan, defaultSpawnRate, makePlan, stepRamp, type Plan, type PlanSpec} from './plan/plan.js';
import {loadScenario, ScenarioLoadError, type LoadedScenario} from './scenario/load.js';
import type {Workload} from './protocol/messages.js';
import {parseThreshold, type Threshold} from './analysis/thresholds.js';

const {version, description} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
  description: string;
};

async function main(argv: string[]): Promise<number> {
  // Help and the version come first and start nothing: no profile read, no scenario loaded, no request sent.
  const line = readCommandLine(argv);
  if (line.asks === 'version') return print(`${version}\n`);
  if (line.asks === 'help' || line.command === undefined) return print(helpText(line.command, line.command ? undefined : description));
  // `brink profile …` and `brink init …` are not runs; a run reads its --profile and the user's defaults.
  if (line.command === 'profile') return profileCommand(argv, version, await ProfileStore.open(process.env, {writing: true}));
  if (line.command === 'init') return (await import('./cli/init.js')).initCommand(argv);
  if (line.command === 'agent') return (await import('./cli/agent.js')).agentCommand(argv, version);
  const inv = parseWithProfiles(argv, version, await ProfileStore.open());
  if (inv.command === 'help' || inv.command === 'version') throw new Error('help and the version are printed before any parsing');
  if (inv.command === 'compare') return compareFiles(inv.oldFile, inv.newFile, inv.tolerance, (text) => process.stdout.write(text));
  // --no-color and --color win over the environment; without them NO_COLOR / FORCE_COLOR decide (ui/format.ts).
  const color = 'color' in inv ? inv.color : undefined;
  if (color === false) {
    process.env.NO_COLOR = '1';
    delete process.env.FORCE_COLOR;
  } else if (color === true) {
    delete process.env.NO_COLOR;
    process.env.FORCE_COLOR = '1';
  }
  switch (inv.command) {
    case 'quick':
      return quick(inv);
    case 'run':
      return run(inv);
    case 'demo':
      return demo(inv);
    case 'find-limit':
      return findLimit(inv);
  }
}

function print(text: string): number {
  process.stdout.write(text);
  return EXIT.ok;
}

async function findLimit(inv: FindLimit): Promise<number> {
  const plan = makePlan(stepRamp({start: inv.start, step: inv.stepUsers, everyMs: inv.stepTimeMs, max: inv.maxUsers}), Infinity);
  const findLimit = {recoveryTimeoutMs: inv.recoveryTimeoutMs};
  if (/^https?:\/\//i.test(inv.target)) return exitCode(await runLoad({...inv, ...quickTarget(inv.target, inv), plan, findLimit, version}));
  return withScenario(inv.target, inv.host, async (target, loaded) =>
    exitCode(
      await runLoad({
        ...inv,
        ...target,
        thresholds: [...inv.thresholds, ...loaded.thresholds],
        plan,
        findLimit,
        http2: inv.http2 || loaded.scenario.http2 === true,
        version,
      }),
    ),
  );
}

async function quick(inv: Quick): Promise<number> {
  const plan = planFor(inv.plan, undefined, inv.connections, Infinity, inv.durationMs);
  return exitCode(await runLoad({...inv, ...quickTarget(inv.url, inv), plan, version}));
}

async function run(inv: Run): Promise<number> {
  return withScenario(inv.scenarioFile, inv.host, async (target, loaded) =>
    exitCode(
      await runLoad({
        ...inv,
        ...target,
        thresholds: [...inv.thresholds, ...loaded.thresholds],
        plan: planFor(inv.plan, loaded.scenario.plan, inv.users, inv.spawnRate, inv.durationMs),
        http2: inv.http2 || loaded.scenario.http2 === true,
        version,
      }),
    ),
  );
}

async function demo(inv: Demo): Promise<number> {
  const {startShopInThread, serveOnly} = await import('./demo/in-thread.js');
  if (inv.serveOnly) {
    await serveOnly(inv.port);
    return EXIT.ok;
  }
  const shop = await startShopInThread({});
  try {
    const live = !inv.headless && process.stdout.isTTY === true && process.stdin.isTTY === true;
    const file = fileURLToPath(new URL('../scenarios/demo.ts', import.meta.url));
    return await withScenario(file, shop.url, async (target) =>
      exitCode(
        await runLoad({
          ...inv,
          ...target,
          // The demo tells its story by itself: a step ramp past the shop's limits, a hold, and back down (recovery
          // timed), unless flags say otherwise. Headless (CI, a pipe) it must end by itself: 30 s unless -t.
          plan: planFor(
            inv.plan ?? stepRamp({start: inv.users, step: inv.users, everyMs: 15_000, max: inv.users * 10, holdMs: 30_000, down: true}),
            undefined,
            inv.users,
            inv.spawnRate,
            inv.durationMs ?? (live || inv.plan ? undefined : parseDuration(builtIn('runTime', 'demo')!)),
            5,
          ),
          scenarioLabel: 'demo shop (scenarios/demo.ts)',
          version,
        }),
      ),
    );
  } finally {
    await shop.close();
  }
}

interface Target {
  readonly workload: Workload;
  readonly host: string;
  readonly scenarioLabel: string;
}

/** Quick mode's one request, against the URL's origin; a `user:pass@` in the URL is its Basic auth. */
function quickTarget(url: string, r: Request): Target {
  const target = splitUserinfo(url);
  const u = new URL(target.url);
  return {
    workload: {
      kind: 'quick',
      method: r.method,
      path: u.pathname + u.search,
      headers: withAuthorization(r.headers, target),
      body: r.body,
      maxRedirects: r.maxRedirects,
    },
    host: u.origin,
    scenarioLabel: `${r.method} ${u.pathname}${u.search}`,
  };
}

/** Loads a scenario, runs `fn` against it, and removes its bundle whatever happens. */
async function withScenario(
  file: string,
  host: string | undefined,
  fn: (target: Target, loaded: LoadedScenario & {thresholds: Threshold[]}) => Promise<number>,
): Promise<number> {
  const loaded = await loadScenario(file);
  try {
    // The scenario's own thresholds, checked before any traffic; a mistake names the file.
    let thresholds: Threshold[];
    try {
      thresholds = (loaded.scenario.thresholds ?? []).map(parseThreshold);
    } catch (error) {
      throw new ScenarioLoadError(`${file}: ${(error as Error).message}`);
    }
    const base = host ?? loaded.scenario.host;
    if (!base) throw new UsageError(`no target: pass --host <url> (or set host in ${file})`, 'BRINK_E_NO_TARGET');
    // A `user:pass@` in the host is Basic auth for every request to it (the workers add the header).
    const target = splitUserinfo(base);
    const workload: Workload = {
      kind: 'scenario',
      bundleUrl: loaded.bundleUrl,
      scenarioFile: loaded.file,
      dataFiles: loaded.dataFiles,
      ...(target.authorization ? {headers: {authorization: target.authorization}} : {}),
    };
    return await fn({workload, host: target.url, scenarioLabel: `${loaded.scenario.name} (${file})`}, {...loaded, thresholds});
  } finally {
    loaded.dispose();
  }
}

/** Flags win over the scenario's plan; without either, constant users. `-t` cuts a plan short or extends its last stage. */
function planFor(
  flags: PlanSpec | undefined,
  fromScenario: PlanSpec | undefined,
  users: number,
  spawnRate: number | undefined,
  durationMs?: number,
  /** The least spawn rate without -r. */
  least = 1,
): Plan {
  const spec = flags ?? fromScenario;
  const rate = spawnRate ?? defaultSpawnRate(spec, users, least);
  if (!spec) return constantPlan(users, rate, durationMs);
  return makePlan(durationMs === undefined ? spec : {...spec, durationMs}, rate);
}

/** 99 when a threshold failed (k6's code, so CI scripts carry over), or when no request succeeded at all; else 0. */
function exitCode({summary}: {summary: Summary}): number {
  if (summary.thresholds.some((t) => !t.pass)) return EXIT.thresholds;
  const nothing = nothingSucceeded(summary);
  if (nothing) {
    process.stderr.write(`brink: ${nothing} → exit 99\n`);
    return EXIT.thresholds;
  }
  return EXIT.ok;
}

// `brink` in ps and top, not `node` (meow set it; scripts and tests find brink's process by it).
process.title = 'brink';
installInterrupts();
installStreams();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof BrinkError) {
      process.stderr.write(formatError(error));
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(
        `brink: internal error (BRINK_E_INTERNAL): ${error?.stack ?? error}\n  hint: ${ERROR_CODES.BRINK_E_INTERNAL.hint}\n`,
      );
      process.exitCode = EXIT.internal;
    }
  },
);
