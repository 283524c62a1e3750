// Wires a run: engine + plan + steering, then either the live view or headless progress lines,
// then the summary (printed, and written as JSON when asked). Signals stop the run, never lose it.
import {Engine} from '../engine/engine.js';
import type {Workload} from '../engine/protocol.js';
import {Steering, type RunEnd} from '../control/steering.js';
import {FindLimit} from '../control/find-limit.js';
import type {Plan} from '../control/plan.js';
import {progressLine, summaryText} from '../report/text.js';
import {summarize, type Summary} from '../report/summary.js';
import type {Common} from './args.js';
import {writeAtomic} from './write-atomic.js';

export interface RunSpec extends Common {
  readonly workload: Workload;
  readonly host: string;
  readonly plan: Plan;
  /** What the header and the summary call this run. */
  readonly scenarioLabel: string;
  readonly version: string;
  /** find-limit: stop climbing at the breaking point, drop to the baseline, time the recovery, end. */
  readonly findLimit?: {readonly recoveryTimeoutMs: number};
}

const PROGRESS_EVERY_MS = 5000;

export async function runLoad(spec: RunSpec): Promise<{summary: Summary; end: RunEnd}> {
  const engine = new Engine({workload: spec.workload, host: spec.host, workers: spec.workers, timeoutMs: spec.timeoutMs, insecure: spec.insecure});
  await engine.start();
  const steering = new Steering(engine, spec.plan, {target: spec.host, scenario: spec.scenarioLabel}, spec.step,
    spec.findLimit ? {timeoutMs: spec.findLimit.recoveryTimeoutMs} : {});
  if (spec.findLimit) new FindLimit(engine, steering).attach();
  let maxElu = 0;
  let saturatedIntervals = 0;
  engine.onState((s) => {
    maxElu = Math.max(maxElu, s.health.maxElu);
    if (s.health.saturated) saturatedIntervals++;
  });

  const live = !spec.headless && process.stdout.isTTY === true && process.stdin.isTTY === true;
  const stop = () => steering.dispatch({type: 'stop'});
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, stop);

  let ui: {unmount(): void; waitUntilExit(): Promise<void>} | undefined;
  let end: RunEnd;
  let final;
  try {
    if (live) {
      const {createLiveStore} = await import('../ui/store.js');
      const {renderLive} = await import('../ui/render-live.js');
      const store = createLiveStore(steering.live);
      steering.onChange((state) => store.set(state));
      ui = renderLive(store, (command) => steering.dispatch(command));
    } else {
      let lastPrinted = 0;
      engine.onState((state) => {
        if (state.elapsedMs - lastPrinted >= PROGRESS_EVERY_MS) {
          lastPrinted = state.elapsedMs;
          process.stdout.write(`${progressLine(state)}\n`);
        }
      });
    }

    steering.start();
    end = await steering.done;
    final = await engine.stop();
  } finally {
    // Every way out gives the terminal back: raw mode off, cursor shown.
    ui?.unmount();
    for (const s of signals) process.off(s, stop);
  }
  const summary = summarize(final, {
    target: spec.host, scenario: spec.scenarioLabel, version: spec.version, interrupted: end === 'stopped', saturatedIntervals, maxElu,
    plan: spec.plan.description, manualChanges: steering.changes, recovery: steering.live.recovery,
  });
  if (spec.json) writeAtomic(spec.json, `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`\n${summaryText(summary)}\n`);
  if (spec.json) process.stdout.write(`\nsummary written to ${spec.json}\n`);
  return {summary, end};
}
