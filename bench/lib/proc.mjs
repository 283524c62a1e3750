// Processes: run a generator under bench/lib/timed.sh (exact user+sys CPU of the generator alone from
// bash's `times`), find its pid, sample its CPU and the target's request counter over a steady window,
// and the RSS of its process tree. Every process started here is ended here, by its pid.
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const TIMED = fileURLToPath(new URL('./timed.sh', import.meta.url));
const TCK = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout.trim()) || 100;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The median of the finite values (the mean of the middle two for an even count); NaN for none. */
export function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function which(cmd) {
  const r = spawnSync('bash', ['-c', `command -v ${cmd}`], {encoding: 'utf8'});
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** CPU seconds (user+sys, every thread) of a live process, or undefined. */
export function cpuOf(pid, tid) {
  try {
    const s = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'latin1');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TCK;
  } catch {
    return undefined;
  }
}

/** CPU seconds of each thread of a live process, by thread id. */
export function threadsCpu(pid) {
  const out = new Map();
  let tids = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return out;
  }
  for (const tid of tids) {
    const c = cpuOf(pid, tid);
    if (c !== undefined) out.set(tid, c);
  }
  return out;
}

/**
 * A window's CPU split by thread: the main thread, the busiest other thread (brink --workers 1: the worker)
 * and the rest (V8's GC and compiler helpers, libuv's pool). Threads that ended in the window are left out.
 */
function splitThreads(pid, before, after) {
  let busiest = 0;
  let rest = 0;
  for (const [tid, c1] of after) {
    if (tid === pid) continue;
    const d = c1 - (before.get(tid) ?? 0);
    if (d > busiest) {
      rest += busiest;
      busiest = d;
    } else rest += d;
  }
  return {mainThreadCpu: (after.get(pid) ?? 0) - (before.get(pid) ?? 0), busiestThreadCpu: busiest, otherThreadsCpu: rest};
}

export function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function treeOf(pid) {
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...childrenOf(out[i]));
  return out;
}

export function rssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Busy CPU seconds of the whole machine so far (all cores). */
export function machineBusy() {
  const f = readFileSync('/proc/stat', 'latin1').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - f[3] - f[4] - f[7]) / TCK; // less idle, iowait and steal
}

function parseTimes(text) {
  const line = text.trim().split('\n')[1] ?? '';
  const t = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return {user: t[0] ?? NaN, sys: t[1] ?? NaN};
}

async function findChild(parentPid, isAlive, maxMs = 5000) {
  const until = Date.now() + maxMs;
  while (Date.now() < until && isAlive()) {
    const kids = childrenOf(parentPid);
    if (kids.length > 0) return kids[0];
    await sleep(5);
  }
  return undefined;
}

/**
 * Runs `cmd args` as the generator. Options:
 * - window: {fromMs, toMs, counter} samples the generator's CPU and `await counter()` (requests the target
 *   saw) at fromMs and toMs after the start: a steady-state figure without startup and shutdown.
 * - rss: sample the RSS of the generator's process tree every 250 ms (peak kept).
 * - at: [{ms, fn}] callbacks at times after the start (e.g. stall the target).
 * - tty: {cols, rows} runs it in a tmux pane of that size (or `script`, when tmux is absent).
 * - toggles: {keys, atMs, counter} (tmux only) types `keys` into the pane at each of atMs after the start, and
 *   samples just before each the generator's CPU by thread and `await counter()`: windows within one run.
 * - timeoutMs: hard stop (SIGTERM, then SIGKILL) of the generator.
 */
export async function runGenerator(cmd, args, opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'brink-bench-'));
  const timesFile = join(dir, 'times');
  const pidFile = join(dir, 'pid');
  const env = {...process.env, ...opts.env};
  let stdout = '';
  let stderr = '';
  let exited = false;
  let exitCode;
  let wrapperPid;
  let tmuxSocket;
  let ttyFile;
  let exitPromise;
  const started = performance.now();
  const busy0 = machineBusy();
  const self0 = process.cpuUsage();
  const targetCpu = () => (opts.targetPid ? treeOf(opts.targetPid).reduce((n, p) => n + (cpuOf(p) ?? 0), 0) : 0);
  const target0 = targetCpu();

  if (opts.tty) {
    // Ink shows only its last frame in CI: the TUI's cost must be measured as a person sees it.
    for (const k of ['CI', 'CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'RUN_ID']) delete env[k];
    env.TERM = 'xterm-256color';
    const inner = [TIMED, timesFile, pidFile, cmd, ...args].map(shellQuote).join(' ');
    if (which('tmux')) {
      tmuxSocket = `brink-bench-${process.pid}-${Date.now()}`;
      const r = spawnSync(
        'tmux',
        [
          '-L',
          tmuxSocket,
          '-f',
          '/dev/null',
          'new-session',
          '-d',
          '-s',
          'bench',
          '-x',
          String(opts.tty.cols),
          '-y',
          String(opts.tty.rows),
          inner,
        ],
        {env, cwd: opts.cwd},
      );
      if (r.status !== 0) throw new Error(`tmux failed: ${r.stderr}`);
      // Every byte the program writes to its terminal, for the view's output rate (issue 24: ≤ 20 KB/s).
      ttyFile = join(tmpdir(), `${tmuxSocket}.tty`);
      spawnSync('tmux', ['-L', tmuxSocket, 'pipe-pane', '-o', '-t', 'bench', `cat > ${shellQuote(ttyFile)}`]);
    } else {
      const child = spawn('script', ['-q', '-e', '-c', `stty cols ${opts.tty.cols} rows ${opts.tty.rows}; ${inner}`, '/dev/null'], {
        env,
        cwd: opts.cwd,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      exitPromise = new Promise((r) => child.on('exit', r));
    }
    const until = Date.now() + 5000;
    while (!existsSync(pidFile) && Date.now() < until) await sleep(5);
    wrapperPid = Number(readFileSync(pidFile, 'utf8'));
    exitPromise = (async () => {
      while (!existsSync(timesFile)) await sleep(50);
    })();
  } else {
    const child = spawn('bash', [TIMED, timesFile, '-', cmd, ...args], {env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe']});
    wrapperPid = child.pid;
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    exitPromise = new Promise((r) =>
      child.on('close', (code) => {
        exitCode = code;
        r();
      }),
    );
  }
  void exitPromise.then(() => {
    exited = true;
  });

  const pid = await findChild(wrapperPid, () => !exited);
  const hardStop = setTimeout(() => {
    if (pid && !exited) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      setTimeout(() => {
        if (!exited)
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* already gone */
          }
      }, 3000).unref();
    }
  }, opts.timeoutMs ?? 120_000);

  let peakRssKb = 0;
  const rssTimer =
    opts.rss && pid
      ? setInterval(() => {
          const kb = treeOf(pid).reduce((n, p) => n + rssKb(p), 0);
          if (kb > peakRssKb) peakRssKb = kb;
        }, 250)
      : undefined;

  const timers = (opts.at ?? []).map(({ms, fn}) => setTimeout(fn, Math.max(0, ms - (performance.now() - started))));
  const toggled =
    opts.toggles && tmuxSocket && pid
      ? (async () => {
          const samples = [];
          for (const ms of opts.toggles.atMs) {
            await sleep(Math.max(0, ms - (performance.now() - started)));
            if (exited) break;
            samples.push({ms: performance.now() - started, cpu: cpuOf(pid), threads: threadsCpu(pid), count: await opts.toggles.counter()});
            spawnSync('tmux', ['-L', tmuxSocket, 'send-keys', '-t', 'bench', opts.toggles.keys]);
          }
          return samples
            .map((s, i) =>
              i === 0
                ? undefined
                : {
                    fromMs: samples[i - 1].ms,
                    toMs: s.ms,
                    cpu: s.cpu - samples[i - 1].cpu,
                    requests: s.count - samples[i - 1].count,
                    ...splitThreads(pid, samples[i - 1].threads, s.threads),
                  },
            )
            .slice(1);
        })()
      : undefined;
  let window;
  if (opts.window && pid) {
    const w = opts.window;
    await sleep(Math.max(0, w.fromMs - (performance.now() - started)));
    const c0 = cpuOf(pid);
    const th0 = threadsCpu(pid); // brink's main thread runs the controller and the live view, not the workers
    const n0 = await w.counter();
    const t0 = performance.now();
    await sleep(Math.max(0, w.toMs - (performance.now() - started)));
    const c1 = cpuOf(pid);
    const th1 = threadsCpu(pid);
    const n1 = await w.counter();
    const t1 = performance.now();
    if (c0 !== undefined && c1 !== undefined && !exited) {
      const cpu = c1 - c0;
      window = {
        seconds: (t1 - t0) / 1000,
        requests: n1 - n0,
        cpu,
        rps: ((n1 - n0) * 1000) / (t1 - t0),
        reqPerCpuS: cpu > 0 ? (n1 - n0) / cpu : NaN,
        ...splitThreads(pid, th0, th1),
      };
    }
  }

  const toggles = await toggled;
  await exitPromise;
  const target1 = targetCpu();
  const self = process.cpuUsage(self0);
  const busy = machineBusy() - busy0;
  clearTimeout(hardStop);
  if (rssTimer) clearInterval(rssTimer);
  for (const t of timers) clearTimeout(t);
  if (tmuxSocket) spawnSync('tmux', ['-L', tmuxSocket, 'kill-server']);
  const ttyBytes = ttyFile && existsSync(ttyFile) ? statSync(ttyFile).size : undefined;
  if (ttyFile) rmSync(ttyFile, {force: true});
  const times = existsSync(timesFile) ? parseTimes(readFileSync(timesFile, 'utf8')) : {user: NaN, sys: NaN};
  rmSync(dir, {recursive: true, force: true});
  const cpu = times.user + times.sys;
  // CPU that neither the generator, the target nor this script used: other work on the machine.
  const foreign = busy - cpu - (target1 - target0) - (self.user + self.system) / 1e6;
  return {
    stdout,
    stderr,
    exitCode,
    pid,
    times,
    cpu,
    window,
    toggles,
    peakRssKb,
    wallS: (performance.now() - started) / 1000,
    ttyBytes,
    targetCpu: target1 - target0,
    foreignCpu: foreign,
  };
}

function shellQuote(s) {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${String(s).replace(/'/g, `'\\''`)}'`;
}
