// The worker pool of one machine: worker threads of this process, each running its share of the users.
// A worker that dies (a scenario calling process.exit(), a crash) is replaced, its users started again.
import os from 'node:os';
import type {Worker} from 'node:worker_threads';
import type {ControlMessage, WorkerInit, WorkerMessage, WorkerProbe, Workload} from '../protocol/messages.js';
import type {IntervalSnapshot} from '../protocol/snapshot.js';
import {spawnWorker} from '../kernel/spawn-worker.js';
import {scriptLocation} from '../kernel/script-location.js';
import {stackOfWorker} from './blocked-worker.js';
import {WorkerOutput} from './worker-output.js';
import {EngineError, type OutputCounts, type PoolEvents, type WorkerPool} from './worker-pool.js';

export interface ThreadPoolOptions {
  readonly workload: Workload;
  readonly host: string;
  readonly workers: number;
  readonly timeoutMs?: number;
  readonly maxBodyBytes?: number;
  readonly maxEndpoints?: number;
  readonly insecure?: boolean;
  /** --http2: h2 by ALPN (h2c over http://), every request through undici. */
  readonly http2?: boolean;
  readonly taskTimeoutMs?: number;
  /** Requests a second the workers never exceed together (--max-rps). */
  readonly maxRps?: number;
  /** Heap limit of each worker, MB (default: a quarter of the machine's memory shared by the workers, 512 MB–4 GB). */
  readonly workerHeapMb?: number;
  readonly safety?: WorkerInit['safety'];
  /** `-n`: requests to send in all, split over the workers. */
  readonly requests?: number;
  /**
   * An agent's share of a run over many machines: the run-wide slot of each worker (its user numbers are
   * n with n % slotCount == slot) and the run's slot count. Default: slots 0..workers-1 of this pool alone.
   */
  readonly slots?: {readonly ids: ReadonlyArray<number>; readonly count: number};
}

/** Workers that die are replaced, up to this many times a run. */
const MAX_REPLACEMENTS = 20;
/**
 * A worker that has not answered a snapshot request for the task timeout (and at least this long) is stuck: its
 * event loop is blocked (a task that loops without end), since a task waiting on I/O blocks nothing.
 */
const MIN_BLOCKED_MS = 5000;

export class ThreadPool implements WorkerPool {
  private readonly workers: Worker[] = [];
  private events!: PoolEvents;
  /** Workers whose share of `-n` has been sent and has ended. */
  private readonly spentWorkers = new Set<number>();
  /** Slots that died and could not be replaced. */
  private readonly dead = new Set<number>();
  private replacements = 0;
  private stopping = false;
  /** What the pool was last asked for: a replacement takes it up. */
  private users = 0;
  private rate: {perSecond: number; maxUsers: number} | undefined;
  /** Users each worker reported at its last snapshot (the open model's share of a dead one). */
  private readonly reported = new Map<number, number>();
  private readonly probes = new Map<Worker, (probe: WorkerProbe) => void>();
  private readonly captured = new WorkerOutput((kind, text) => this.events.note(kind, text));
  /** Since when each worker owes an answer to a snapshot request (epoch ms); absent when it has answered. */
  private readonly owing = new Map<number, number>();
  private watchdog: NodeJS.Timeout | undefined;
  readonly size: number;
  private readonly heapMb: number;

  constructor(private readonly options: ThreadPoolOptions) {
    this.size = Math.max(1, options.workers);
    // A limit of its own: a worker that runs out dies alone (and is replaced), not with the whole process.
    this.heapMb = options.workerHeapMb ?? Math.min(4096, Math.max(512, Math.floor(os.totalmem() / 4 / 2 ** 20 / this.size)));
  }

  get live(): number {
    return this.size - this.dead.size;
  }

  get output(): OutputCounts {
    return this.captured.counts;
  }

  onOutput(listener: (workerId: number, text: string) => void): () => void {
    return this.captured.listen(listener);
  }

  async start(events: PoolEvents): Promise<void> {
    this.events = events;
    const ready: Promise<void>[] = [];
    for (let workerId = 0; workerId < this.size; workerId++) ready.push(this.spawn(workerId));
    try {
      await Promise.all(ready);
    } catch (error) {
      await Promise.all(this.workers.map((w) => w.terminate()));
      throw error;
    }
    this.watchdog = setInterval(() => this.checkBlocked(), 1000);
    this.watchdog.unref();
  }

  setUsers(total: number): void {
    this.users = total;
    this.broadcast({type: 'setUsers', total});
  }

  setRate(perSecond: number, maxUsers: number): void {
    this.rate = {perSecond, maxUsers};
    this.broadcast({type: 'setRate', perSecond, maxUsers});
  }

  requestSnapshots(seq: number): void {
    const now = Date.now();
    for (let id = 0; id < this.workers.length; id++) if (!this.dead.has(id) && !this.owing.has(id)) this.owing.set(id, now);
    this.broadcast({type: 'snapshot', seq});
  }

  /** A worker owing an answer for longer than a task may take is blocked: find where, say so, and replace it. */
  private checkBlocked(): void {
    if (this.stopping) return;
    const limit = Math.max(MIN_BLOCKED_MS, this.options.taskTimeoutMs ?? 60_000);
    const now = Date.now();
    for (const [id, since] of this.owing) {
      if (now - since < limit || this.dead.has(id)) continue;
      this.owing.delete(id);
      void this.unblock(id, now - since);
    }
  }

  private async unblock(workerId: number, blockedMs: number): Promise<void> {
    const worker = this.workers[workerId];
    const stack = await stackOfWorker(worker.threadId);
    if (this.stopping || this.workers[workerId] !== worker) return;
    const file = this.options.workload.kind === 'scenario' ? this.options.workload.scenarioFile : '';
    const where = stack ? scriptLocation({stack}, file) : undefined;
    const seconds = Math.round(blockedMs / 1000);
    this.events.scriptError(
      '(event loop blocked)',
      where,
      `a task kept worker ${workerId}'s event loop busy for ${seconds} s without yielding (an endless loop?)`,
    );
    this.blockedCause.set(workerId, `its event loop was blocked for ${seconds} s${where ? ` at ${where}` : ''}`);
    await worker.terminate();
  }

  /** Why a worker that is about to exit was ended by the pool itself. */
  private readonly blockedCause = new Map<number, string>();

  /** Starts worker `workerId` (or a replacement for one that died); resolves once it loaded the workload. */
  private spawn(workerId: number): Promise<void> {
    const o = this.options;
    const init: WorkerInit = {
      workerId: o.slots?.ids[workerId] ?? workerId,
      workerCount: o.slots?.count ?? this.size,
      workload: o.workload,
      host: o.host,
      timeoutMs: o.timeoutMs ?? 30_000,
      maxBodyBytes: o.maxBodyBytes ?? 1 << 20,
      maxEndpoints: o.maxEndpoints ?? 200,
      insecure: o.insecure ?? false,
      ...(o.http2 ? {http2: true} : {}),
      taskTimeoutMs: o.taskTimeoutMs ?? 60_000,
      maxRps: o.maxRps === undefined ? undefined : o.maxRps / this.size,
      // -n N: N split over the workers, the first ones taking the remainder.
      requestBudget:
        o.requests === undefined ? undefined : Math.floor(o.requests / this.size) + (workerId < o.requests % this.size ? 1 : 0),
      safety: o.safety,
    };
    // Console output is captured, not inherited (see worker-output.ts).
    const worker = spawnWorker('../worker/main', {
      workerData: init,
      stdout: true,
      stderr: true,
      resourceLimits: {maxOldGenerationSizeMb: this.heapMb},
    });
    this.workers[workerId] = worker;
    this.captured.capture(workerId, worker);
    return new Promise((resolve, reject) => {
      let ready = false;
      let cause: string | undefined;
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') {
          ready = true;
          resolve();
        } else if (m.type === 'fatal') {
          if (ready) this.events.note('warning', `worker ${workerId}: ${m.message.split('\n')[0]}`);
          else reject(new EngineError(m.message));
        } else if (m.type === 'snapshot') {
          this.owing.delete(workerId);
          this.reported.set(workerId, m.snapshot.seq === -1 ? 0 : m.snapshot.health.users);
          this.events.snapshot(m.snapshot);
        } else if (m.type === 'probe') this.probes.get(worker)?.(m.probe);
        else if (m.type === 'spent') {
          this.spentWorkers.add(workerId);
          if (this.spentWorkers.size === this.size) this.events.spent?.();
        }
      });
      worker.on('error', (error: Error & {code?: string}) => {
        cause =
          error?.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `it ran out of memory (its heap limit is ${this.heapMb} MB): the scenario keeps data without bound, or one worker runs too many users`
            : String(error?.message ?? error).split('\n')[0];
        if (!ready) reject(error?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new EngineError(`worker ${workerId}: ${cause}`) : error);
      });
      worker.on('exit', (code) => {
        this.owing.delete(workerId);
        if (!ready) reject(new EngineError(`worker ${workerId} exited (code ${code}) before it was ready`));
        else this.died(workerId, worker, this.blockedCause.get(workerId) ?? cause ?? `exit code ${code}`);
        this.blockedCause.delete(workerId);
      });
    });
  }

  /**
   * A worker ended while the run goes on. What it measured up to its end came in its last snapshot; its
   * users restart on a replacement with the same share (same user numbers), which runs their onStart again.
   */
  private died(workerId: number, worker: Worker, cause: string): void {
    if (this.stopping || this.workers[workerId] !== worker) return;
    // Closed model: its share of the users asked for (as the worker computes it). Open model: what it last reported.
    const [slot, slots] = [this.options.slots?.ids[workerId] ?? workerId, this.options.slots?.count ?? this.size];
    const users =
      this.rate !== undefined ? (this.reported.get(workerId) ?? 0) : this.users <= slot ? 0 : Math.ceil((this.users - slot) / slots);
    const what = this.rate !== undefined ? `its share of the arrival rate (it ran ${users} users)` : `its ${users} users`;
    this.reported.set(workerId, 0);
    if (this.replacements >= MAX_REPLACEMENTS) {
      this.dead.add(workerId);
      this.events.note(
        'warning',
        `worker ${workerId} died (${cause}) and is not replaced (${MAX_REPLACEMENTS} replacements already): ${what} stay lost`,
      );
      return;
    }
    this.replacements++;
    this.events.note('warning', `worker ${workerId} died (${cause}); a new worker takes over ${what}`);
    this.spawn(workerId).then(
      () => {
        if (this.stopping) return; // the shutdown stops it
        const replacement = this.workers[workerId];
        if (this.rate !== undefined) replacement.postMessage({type: 'setRate', ...this.rate} satisfies ControlMessage);
        else replacement.postMessage({type: 'setUsers', total: this.users} satisfies ControlMessage);
        this.events.note('info', `worker ${workerId} replaced; its users restarted`);
      },
      (error) => {
        this.dead.add(workerId);
        this.events.note('warning', `worker ${workerId} could not be replaced: ${String(error?.message ?? error).split('\n')[0]}`);
      },
    );
  }

  private broadcast(message: ControlMessage): void {
    for (const w of this.workers) w.postMessage(message);
  }

  async probe(timeoutMs: number): Promise<WorkerProbe[]> {
    const answers = this.workers
      .filter((_, id) => !this.dead.has(id))
      .map(
        (w) =>
          new Promise<WorkerProbe | undefined>((resolve) => {
            const timer = setTimeout(() => {
              this.probes.delete(w);
              resolve(undefined);
            }, timeoutMs);
            this.probes.set(w, (probe) => {
              clearTimeout(timer);
              this.probes.delete(w);
              resolve(probe);
            });
            w.postMessage({type: 'probe'} satisfies ControlMessage);
          }),
      );
    return (await Promise.all(answers)).filter((p): p is WorkerProbe => p !== undefined);
  }

  async stop(graceMs: number): Promise<IntervalSnapshot[]> {
    this.stopping = true;
    clearInterval(this.watchdog);
    const finals = this.workers
      .filter((_, id) => !this.dead.has(id))
      .map(
        (w) =>
          new Promise<IntervalSnapshot | undefined>((resolve) => {
            const onMessage = (m: WorkerMessage) => {
              if (m.type === 'stopped') resolve(m.snapshot);
            };
            w.on('message', onMessage);
            w.once('exit', () => resolve(undefined));
            setTimeout(() => resolve(undefined), graceMs + 1000).unref();
          }),
      );
    this.broadcast({type: 'stop', graceMs});
    const snapshots = (await Promise.all(finals)).filter((s): s is IntervalSnapshot => s !== undefined);
    await Promise.all(this.workers.map((w) => w.terminate()));
    return snapshots;
  }
}
