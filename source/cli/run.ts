// Wires a run: engine + plan + steering, then either the live view or headless progress lines,
// then the summary (printed, and written as JSON when asked). Signals stop the run, never lose it.
// The run's own labels (target, scenario, release) are redacted here, before the live view, the metrics or a
// report sees them; what the workers report is redacted as it enters RunState (engine/aggregator.ts).
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {Engine} from '../engine/engine.js';
import type {RunState} from '../engine/run-state.js';
import type {Workload} from '../protocol/messages.js';
import {Steering, type RunEnd} from '../control/steering.js';
import {FindLimit} from '../control/find-limit.js';
import {ThresholdWatch} from '../control/threshold-watch.js';
import {evaluate} from '../analysis/thresholds.js';
import {isLoopback, startMetricsServer} from '../report/prometheus.js';
import type {Plan} from '../plan/plan.js';
import {progressLine, summaryText} from '../report/text.js';
import {summarize, type Summary} from '../report/summary.js';
import type {Common} from './invocation.js';
import {BrinkError} from '../kernel/errors.js';
import {redact} from '../kernel/redact.js';
import {STDOUT, writeReports} from '../report/outputs.js';
import {guardTarget} from './target-guard.js';
import {beyondCores, defaultWorkers} from './default-workers.js';
import {onInterrupt} from './interrupts.js';
import {scenarioOutputPrinter} from './scenario-output.js';

export interface RunSpec extends Common {
  readonly workload: Workload;
  readonly host: string;
  readonly plan: Plan;
  /** What the header and the summary call this run. */
  readonly scenarioLabel: string;
  readonly version: string;
  /** Quick mode's -n: the requests to send in all; the run ends when the last has. */
  readonly requests?: number;
  /** find-limit: stop climbing at the breaking point, drop to the baseline, time the recovery, end. */
  readonly findLimit?: {readonly recoveryTimeoutMs: number};
}

const PROGRESS_EVERY_MS = 5000;

export async function runLoad(spec: RunSpec): Promise<{summary: Summary; end: RunEnd}> {
  const target = redact(spec.host);
  const scenario = redact(spec.scenarioLabel);
  const release = spec.release === undefined ? undefined : redact(spec.release);
  // A report on stdout (`--json -`) has stdout to itself: the progress lines and the summary go to stderr.
  const textOut = [spec.json, spec.html, spec.md].includes(STDOUT) ? process.stderr : process.stdout;
  const allowPublic = await guardTarget(spec.host, spec.yes, process.stdin.isTTY === true && process.stderr.isTTY === true);
  // With --agents the load runs on other machines (agent-pool.ts): this process only controls.
  const pool = spec.agents ? (await import('./agent-pool.js')).agentPool(spec.agents, {...spec, yes: allowPublic}) : undefined;
  const choice: {workers?: number; why?: string; warning?: string} = pool
    ? {}
    : spec.workers !== undefined
      ? {workers: spec.workers, warning: beyondCores(spec.workers)}
      : await defaultWorkers(spec.host);
  const live = !spec.headless && process.stdout.isTTY === true && process.stdin.isTTY === true;
  // The view's modules (Ink, React, Yoga: ~0.45 s to load) load on this thread while the workers start on theirs.
  const view = live ? loadView() : undefined;
  view?.catch(() => {}); // awaited below; a run that fails to start must not also report this
  const engine = new Engine({
    workload: spec.workload,
    host: spec.host,
    workers: choice.workers,
    timeoutMs: spec.timeoutMs,
    taskTimeoutMs: spec.taskTimeoutMs,
    insecure: spec.insecure,
    http2: spec.http2,
    maxRps: spec.maxRps,
    // Every request the workers send is held to the guard's rule too, and credentials stay with their origin.
    safety: {allowPublic, stripHeaders: spec.stripHeaders},
    requests: spec.requests,
    pool,
  });
  await engine.start();
  if (choice.why) engine.event('info', choice.why);
  if (choice.warning) engine.event('warning', choice.warning);
  const {thresholds} = spec;
  const watch = new ThresholdWatch(engine, thresholds, spec.abortAfterMs, (reason) => steering.abort(reason));
  watch.attach(); // before the steering controller, so the state it publishes carries this interval's verdicts
  const steering = new Steering(
    engine,
    spec.plan,
    {target, scenario, mode: spec.workload.kind, thresholds: () => watch.live},
    spec.step,
    spec.findLimit ? {timeoutMs: spec.findLimit.recoveryTimeoutMs} : {},
  );
  if (spec.findLimit) new FindLimit(engine, steering).attach();
  engine.onSpent(() => {
    engine.event('info', `all ${spec.requests} requests of -n have ended`);
    steering.complete();
  });
  let maxElu = 0;
  let saturatedIntervals = 0;
  engine.onState((s) => {
    maxElu = Math.max(maxElu, s.health.maxElu);
    if (s.health.saturated) saturatedIntervals++;
  });

  const metrics = spec.metrics ? await startMetricsServer(spec.metrics, engine) : undefined;
  if (metrics) {
    engine.onState((state) => metrics.update(state));
    process.stderr.write(
      `brink: Prometheus metrics at ${metrics.url}${isLoopback(spec.metrics!.host) ? '' : ' (not loopback: reachable from other machines)'}\n`,
    );
    engine.event('info', `metrics at ${metrics.url}`);
  }

  const detach = onInterrupt(() => steering.dispatch({type: 'stop'}));

  let ui: {unmount(): void; waitUntilExit(): Promise<void>} | undefined;
  let end: RunEnd;
  let final: RunState | undefined;
  // Headless, the scenario's console output (the engine captures it) goes to stderr, up to a budget.
  const output = view ? undefined : scenarioOutputPrinter();
  try {
    if (view) {
      const {createLiveStore, renderLive} = await view;
      const store = createLiveStore(steering.live);
      steering.onChange((state) => store.set(state));
      ui = renderLive(store, (command) => steering.dispatch(command));
    } else {
      engine.onOutput((_, text) => output?.print(text));
      let lastPrinted = 0;
      engine.onState((state) => {
        if (state.elapsedMs - lastPrinted >= PROGRESS_EVERY_MS) {
          lastPrinted = state.elapsedMs;
          textOut.write(`${progressLine(state)}\n`);
        }
      });
    }

    steering.start();
    end = await steering.done;
    final = await engine.stop();
  } finally {
    // Every way out gives the terminal back: raw mode off, cursor shown.
    ui?.unmount();
    detach();
    if (final) metrics?.update(final);
    await metrics?.close();
  }
  if (!final) throw new Error('the run ended without a final state');
  if (output && output.droppedBytes > 0)
    process.stderr.write(`brink: ${(output.droppedBytes / (1 << 20)).toFixed(1)} MiB of the scenario's console output was not printed\n`);
  const summary = summarize(final, {
    target,
    scenario,
    mode: spec.workload.kind,
    version: spec.version,
    interrupted: end === 'stopped',
    saturatedIntervals,
    maxElu,
    plan: spec.plan.description,
    manualChanges: steering.changes,
    recovery: steering.live.recovery,
    thresholds: evaluate(thresholds, final),
    aborted: steering.abortReason,
    consoleOutput: engine.output,
  });
  const reports = await writeReports(summary, {
    ...spec,
    release,
    scenarioFile: spec.workload.kind === 'scenario' ? spec.workload.scenarioFile : undefined,
    stdout: (report) => process.stdout.write(report),
  });
  textOut.write(`\n${summaryText(summary)}\n`);
  if (reports.lines.length > 0) textOut.write(`\n${reports.lines.join('\n')}\n`);
  if (reports.failed.length > 0) {
    throw new BrinkError(
      'BRINK_E_OUTPUT',
      `the run ended, but ${reports.failed.join('; ')}`,
      'the other reports were written; the summary is above',
    );
  }
  return {summary, end};
}

async function loadView() {
  // Ink draws only the last frame when it thinks it runs in CI; but stdin and stdout are a terminal here,
  // so a person is watching (CI=true is often set on load boxes too). Ink reads CI once, when it loads. The
  // variables are removed, not set to 'false': chalk (the view's colours) turns colour off for any CI it sees.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  // The bundle `npm run build` makes of ui/view.js (see view.ts); ui/view.js itself when only tsc has run.
  // Asked of the file system, not read from an import error: a bundle that is there but fails to load must say why.
  if (!existsSync(fileURLToPath(VIEW_BUNDLE))) return import('../ui/view.js');
  return (await import(VIEW_BUNDLE)) as typeof import('../ui/view.js');
}

const VIEW_BUNDLE = new URL('../ui/bundle/view.js', import.meta.url).href;
