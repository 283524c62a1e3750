// A scenario that misbehaves: tasks that never end (bounded by the task timeout), stray errors thrown
// outside any task, and a flood of console output. brink must not hang, crash or miscount.
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {monitorEventLoopDelay} from 'node:perf_hooks';
import {startFaultServer, type FaultServer} from '../helpers/fault-server.js';
import {startThreadServer} from '../helpers/thread-server.js';
import {endpoint, scenarioFile, scriptErrorCount, scriptErrors, sleep} from '../helpers/run.js';
import {parseArgs} from '../../source/cli/parse.js';
import {UsageError} from '../../source/kernel/errors.js';
import {Engine} from '../../source/engine/engine.js';
import {MB, gc, probedRun, rssMb, rssSampler} from './support.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.close();
});

describe('a task that never resolves', () => {
  it('is a script failure after the task timeout; the user goes on, with its cookies, and the abandoned task sends nothing more', async () => {
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
import {setTimeout as wait} from 'node:timers/promises';
export default scenario({users: [
  user('hangs', {onStart: async ({http}) => { await http.post('/login'); }}, [
    task(1, 'never', async () => { await new Promise(() => {}); }),
    task(1, 'too-slow', async ({http}) => { await wait(700); await http.get('/late'); }),
    // Weighted so that a user that was abandoned surely picks it again: at 1 of 3, both users missing it for
    // the ~10 picks after the first abandon (odds 1 in 60) failed the check that they went on.
    // A user runs one task at a time: an abandoned task that ends late must not start a second loop beside the first.
    task(3, 'works', async ({http, vars}) => {
      vars.running = (vars.running ?? 0) + 1;
      try {
        const res = await http.get('/whoami');
        res.check(res.json().session !== null, 'lost the session cookie');
        res.check(vars.running === 1, 'two tasks of one user at once');
      } finally {
        vars.running--;
      }
    }),
  ]),
  // Its first onStart never ends: bounded too, counted as a start failure and retried (after 1 s).
  user('stuck-start', {onStart: async ({http, vars}) => {
    if (!globalThis.stuckOnce) { globalThis.stuckOnce = true; await new Promise(() => {}); }
    await http.post('/login');
  }}, [task('after-start', async ({http}) => { await http.get('/ok', {name: 'after-start'}); })]),
]});
`);
    const before = server.counts();
    const delta = (key: string) => server.count(key) - (before.get(key) ?? 0);
    let stopMs = 0;
    let r;
    try {
      r = await probedRun({
        workload: sc.workload,
        host: server.url,
        users: 4,
        durationMs: 2500,
        taskTimeoutMs: 300,
        during: async (engine) => {
          await sleep(2500);
          const t = performance.now();
          await engine.stop();
          stopMs = performance.now() - t;
        },
      });
    } finally {
      sc.cleanup();
    }
    const {final, states} = r;
    const never = scriptErrors(final, 'never');
    const slow = scriptErrors(final, 'too-slow');
    console.log(
      `task timeout 0.3 s: ${scriptErrorCount(final, 'never')} 'never' and ${scriptErrorCount(final, 'too-slow')} 'too-slow' tasks abandoned, ${endpoint(final, 'GET /whoami').requests} whoami, start failures ${final.startFailures}, stop took ${stopMs.toFixed(0)} ms`,
    );
    for (const e of [never, slow]) {
      // A script error of its own: never a request, so no endpoint row for the task.
      expect(e).toEqual([expect.objectContaining({message: 'task did not finish within 0.3 s'})]);
      expect(e[0].count).toBeGreaterThanOrEqual(2);
    }
    expect(final.endpoints.filter((e) => e.method === 'TASK')).toEqual([]);
    // The abandoned too-slow tasks woke up after 700 ms, but their session refused the request.
    expect(delta('GET /late')).toBe(0);
    expect(final.endpoints.find((e) => e.key === 'GET /late')).toBeUndefined();
    // The users went on after each abandoned task, with the cookie onStart got (the session is forked, not lost).
    const whoami = endpoint(final, 'GET /whoami');
    expect(whoami.failures).toBe(0);
    expect(whoami.requests).toBe(delta('GET /whoami'));
    const firstAbandon = states.find((s) => scriptErrorCount(s, 'never') > 0);
    expect(whoami.requests).toBeGreaterThan(firstAbandon?.endpoints.find((e) => e.key === 'GET /whoami')?.requests ?? 0);
    // The hung onStart was bounded, counted and retried: that user then ran its tasks.
    expect(final.startFailures).toBe(1);
    expect(scriptErrors(final, 'stuck-start onStart')[0].message).toBe('task did not finish within 0.3 s');
    expect(endpoint(final, 'GET after-start').requests).toBeGreaterThan(0);
    // Hung tasks do not hold the stop up beyond the grace period.
    expect(stopMs).toBeLessThan(3500);
  }, 20_000);

  it('the CLI sets it with --task-timeout (default 60 s)', () => {
    expect(
      parseArgs(['run', 'x.ts'], '0').command === 'run' && (parseArgs(['run', 'x.ts'], '0') as {taskTimeoutMs: number}).taskTimeoutMs,
    ).toBe(60_000);
    expect((parseArgs(['run', 'x.ts', '--task-timeout', '5s'], '0') as {taskTimeoutMs: number}).taskTimeoutMs).toBe(5000);
    expect(() => parseArgs(['run', 'x.ts', '--task-timeout', 'soon'], '0')).toThrow(UsageError);
    expect(() => parseArgs(['run', 'x.ts', '--task-timeout', 'soon'], '0')).toThrow(/--task-timeout/);
  });
});

describe('stray errors outside any task', () => {
  it('a throw in a timer callback or an unhandled rejection is a script failure; the worker and its users go on', async () => {
    const sc = await scenarioFile(`import {scenario, user, task} from 'brink';
export default scenario({users: [user('u', {}, [
  task('stray', async ({http, vars}) => {
    vars.n = (vars.n ?? 0) + 1;
    await http.get('/ok', {name: 'counted'});
    if (vars.n === 2) setTimeout(() => { throw new Error('thrown from a timer'); }, 0); // STRAY THROW
    if (vars.n === 3) Promise.reject(new Error('nobody awaited me'));
  }),
])]});
`);
    const before = server.count('GET /ok');
    let r;
    try {
      r = await probedRun({workload: sc.workload, host: server.url, users: 2, durationMs: 1200});
    } finally {
      sc.cleanup();
    }
    const {final} = r;
    const stray = scriptErrors(final, '(uncaught error)');
    console.log('stray errors:', stray);
    expect(scriptErrorCount(final, '(uncaught error)')).toBe(4); // 2 users × (one throw + one rejection)
    expect(stray.map((e) => `${e.message} (${e.where})`).sort()).toEqual([
      expect.stringMatching(/^nobody awaited me \(scenario\.ts:\d+\)$/),
      expect.stringMatching(/^thrown from a timer \(scenario\.ts:\d+\)$/),
    ]);
    // No worker died: no replacement, and every request counted as the server saw it.
    expect(final.events.filter((e) => /died|replaced/.test(e.text))).toEqual([]);
    expect(endpoint(final, 'GET counted').requests).toBe(server.count('GET /ok') - before);
    expect(endpoint(final, 'GET counted').requests).toBeGreaterThan(6);
  }, 20_000);
});

describe('a scenario that logs without end', () => {
  /** 17 lines a task: 16 of ~63 KB to stdout (~1 MB), one to stderr. */
  const FLOOD = `import {scenario, user, task} from 'brink';
const line = 'log line '.repeat(7000);
export default scenario({users: [user('u', {}, [
  task('chatty', async ({http}) => {
    await http.get('/ok', {name: 'chatty'});
    for (let i = 0; i < 16; i++) console.log(i + ' ' + line);
    console.error('and some stderr');
  }),
])]});
`;

  it('is captured, not printed: the first lines become events, the rest is counted; counts stay right, memory and the main thread stay calm', async () => {
    const sc = await scenarioFile(FLOOD);
    const before = server.count('GET /ok');
    const delay = monitorEventLoopDelay({resolution: 10});
    let engine: Engine | undefined;
    let rss;
    let baseline = 0;
    let r;
    try {
      r = await probedRun({
        workload: sc.workload,
        host: server.url,
        users: 2,
        durationMs: 4000,
        during: async (e) => {
          engine = e;
          gc();
          baseline = rssMb();
          rss = rssSampler();
          delay.enable();
        },
      });
    } finally {
      delay.disable();
      sc.cleanup();
    }
    const peak = rss!.stop();
    const {final} = r;
    const output = engine!.output;
    const chatty = endpoint(final, 'GET chatty');
    console.log(
      `console flood: ${(output.bytes / MB).toFixed(0)} MB in ${output.lines} lines (${(output.droppedBytes / MB).toFixed(0)} MB dropped in the worker) over ${chatty.requests} tasks; RSS ${baseline.toFixed(0)} → peak ${peak.toFixed(0)} MB; main-thread event-loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`,
    );
    expect(output.bytes).toBeGreaterThan(20 * MB);
    expect(chatty.requests).toBeGreaterThan(20);
    expect(chatty.requests).toBe(server.count('GET /ok') - before);
    expect(chatty.failures).toBe(0);
    // Every line was counted (16 lines of stdout and one of stderr a task), but for what was still on its way
    // from the worker when it was ended at stop (a few tasks' worth at most).
    expect(output.lines).toBeGreaterThanOrEqual((chatty.requests - 10) * 17);
    expect(output.lines).toBeLessThanOrEqual(chatty.requests * 17);
    const shown = final.events.filter((e) => e.text.startsWith('output of worker 0: '));
    expect(shown).toHaveLength(20);
    expect(shown[0].text).toMatch(/^output of worker 0: 0 log line log line .*…$/);
    expect(shown[0].text.length).toBeLessThan(250);
    expect(final.events.some((e) => e.kind === 'warning' && /console output beyond 20 lines is counted, not shown/.test(e.text))).toBe(
      true,
    );
    // Memory levels off rather than growing with what was logged (it reached 8 GB in 4 s when a worker kept
    // whatever the main thread had not yet taken): how high, and how soon, depends on the GC (+50–70 MB on
    // Node 20; Node 24 once took until the second half to reach its ~450 MB: 307 → 448).
    const samples = rss!.samples;
    const half = Math.floor(samples.length / 2);
    const firstHalf = Math.max(...samples.slice(0, half));
    const secondHalf = Math.max(...samples.slice(half));
    console.log(
      `RSS peak in the first half ${firstHalf.toFixed(0)} MB, in the second ${secondHalf.toFixed(0)} MB; worker heap ${r.probes.map((p) => (p.heapUsed / MB).toFixed(0)).join(', ')} MB`,
    );
    expect(peak - baseline).toBeLessThan(300);
    expect(secondHalf - firstHalf).toBeLessThan(150);
    // The worker still answers the controller (a drowning one did not, and its snapshots came late or never).
    expect(r.probes).toHaveLength(1);
    expect(r.probes[0]!.heapUsed / MB).toBeLessThan(400);
    // What a worker had to drop, its output buffer full, is counted all the same and said once.
    const dropWarnings = final.events.filter((e) => /writes console output faster than it can be passed on/.test(e.text));
    expect(dropWarnings).toHaveLength(output.droppedBytes > 0 ? 1 : 0);
    expect(final.warnings.some((w) => /logged faster than brink/.test(w))).toBe(output.droppedBytes > 0);
    // The live view renders from this thread: it must not stall.
    expect(delay.percentile(99) / 1e6).toBeLessThan(100);
  }, 20_000);

  it('logged faster than the main thread takes it, is dropped in the worker and counted, not hoarded', async () => {
    // A target in its own thread answers as fast as a real one: each task then logs its 1 MB at once. Without a
    // cap, the worker kept what the main thread had not yet taken: 2 GB of RSS in 4 s, and a worker too busy to work.
    const target = await startThreadServer();
    const sc = await scenarioFile(FLOOD);
    let baseline = 0;
    let rss;
    let r;
    try {
      r = await probedRun({
        workload: sc.workload,
        host: target.url,
        users: 2,
        durationMs: 3000,
        during: () => {
          gc();
          baseline = rssMb();
          rss = rssSampler();
        },
      });
    } finally {
      sc.cleanup();
      await target.close();
    }
    const peak = rss!.stop();
    const {final, engine} = r;
    const output = engine.output;
    const chatty = endpoint(final, 'GET chatty');
    console.log(
      `fast target: ${(output.bytes / MB).toFixed(0)} MB logged, ${(output.droppedBytes / MB).toFixed(0)} MB of it dropped in the worker, over ${chatty.requests} tasks; RSS ${baseline.toFixed(0)} → peak ${peak.toFixed(0)} MB; worker heap ${r.probes.map((p) => (p.heapUsed / MB).toFixed(0)).join(', ')} MB`,
    );
    expect(chatty.requests).toBe(target.count());
    expect(chatty.failures).toBe(0);
    expect(output.droppedBytes).toBeGreaterThan(0);
    expect(final.events.filter((e) => /writes console output faster than it can be passed on/.test(e.text))).toHaveLength(1);
    // …and the run's warnings (the summary, the headless report) say so too.
    expect(final.warnings).toContainEqual(expect.stringMatching(/logged faster than brink could pass its console output on/));
    // Dropped lines are counted with the rest, but for a few tasks' worth still on its way at the stop.
    expect(output.lines).toBeGreaterThanOrEqual((chatty.requests - 10) * 17);
    expect(output.lines).toBeLessThanOrEqual(chatty.requests * 17);
    expect(peak - baseline).toBeLessThan(300);
    expect(r.probes).toHaveLength(1);
    expect(r.probes[0]!.heapUsed / MB).toBeLessThan(400);
  }, 20_000);
});
