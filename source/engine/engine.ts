// The engine: drives a worker pool (users ramped at a spawn rate, or an arrival rate), keeps the interval
// clock and folds the pool's snapshots into the RunState. It knows nothing of how the run is shown, nor where
// the workers run: consumers subscribe to RunState updates and call setUsers()/setRate()/stop().
import {performance} from 'node:perf_hooks';
import os from 'node:os';
import {Aggregator} from './aggregator.js';
import type {IntervalSnapshot} from '../protocol/snapshot.js';
import type {RunState} from './run-state.js';
import type {BoundCounts} from '../kernel/histogram.js';
import type {SegmentKind} from './segments.js';
import type {RequestSafety, WorkerProbe, Workload} from '../protocol/messages.js';
import {ThreadPool} from './thread-pool.js';
import {UserRamp} from './user-ramp.js';
import {IntervalClock} from './interval-clock.js';
import type {OutputCounts, WorkerPool} from './worker-pool.js';

export interface EngineOptions {
  readonly workload: Workload;
  readonly host: string;
  /** Worker threads (default: one per core; the CLI gives a target on this machine half of them). */
  readonly workers?: number;
  /** Snapshot interval in ms (default 1000). */
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly maxBodyBytes?: number;
  readonly maxEndpoints?: number;
  readonly insecure?: boolean;
  /** --http2: h2 by ALPN (h2c over http://), every request through undici. */
  readonly http2?: boolean;
  /** A scenario task still running after this long is a script error and its user goes on (default 60 s). */
  readonly taskTimeoutMs?: number;
  /** Requests a second the workers never exceed together (--max-rps). */
  readonly maxRps?: number;
  /** Each worker thread's heap limit, MB (default: a quarter of the machine's memory shared by the workers). */
  readonly workerHeapMb?: number;
  /** Where the load runs; default: worker threads of this process (`workers` of them). */
  readonly pool?: WorkerPool;
  /** --yes and --strip-header, for every request the workers send (absent: public hosts are held back). */
  readonly safety?: RequestSafety;
  /** Quick mode's `-n`: the requests to send in all; `onSpent` listeners hear when the last has ended. */
  readonly requests?: number;
}

type Listener = (state: RunState) => void;

/** What the steering controller, find-limit and the threshold watch need of an engine (control/ drives it through this). */
export interface LoadControl {
  readonly state: RunState;
  /** `target`: the users asked for; `stranded`: those of them nothing runs (a lost agent's, not reassigned). */
  readonly users: {readonly current: number; readonly target: number; readonly stranded?: number};
  readonly rate: {readonly perSecond: number; readonly maxUsers: number} | undefined;
  onState(listener: Listener): () => void;
  event(kind: 'info' | 'users' | 'warning' | 'failure', text: string, at?: number): void;
  cut(label: string, kind?: SegmentKind): void;
  setUsers(users: number, spawnRate?: number): void;
  setRate(perSecond: number, maxUsers: number): void;
}

export class Engine implements LoadControl {
  private readonly pool: WorkerPool;
  private readonly listeners = new Set<Listener>();
  private aggregator!: Aggregator;
  private readonly spentListeners = new Set<() => void>();
  private readonly ramp: UserRamp;
  private readonly clock: IntervalClock;
  private targetRate: number | undefined;
  private maxUsers = 0;
  /** Users each worker reported running at its last snapshot. */
  private readonly activeUsers = new Map<number, number>();
  private cpu = process.cpuUsage();
  private cpuAt = performance.now();
  private stopped: Promise<RunState> | undefined;
  /** Events noted before the run started (the aggregator does not exist yet). */
  private early: Array<['info' | 'warning', string]> | undefined = [];
  readonly intervalMs: number;

  constructor(private readonly options: EngineOptions) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.pool = options.pool ?? new ThreadPool({...options, workers: options.workers ?? os.availableParallelism()});
    this.ramp = new UserRamp((users) => this.pool.setUsers(users));
    this.clock = new IntervalClock(
      this.intervalMs,
      (seq) => this.pool.requestSnapshots(seq),
      () => this.pool.live,
      (snapshots) => this.publish(snapshots),
    );
  }

  get state(): RunState {
    return this.aggregator.current;
  }

  /** Each endpoint's whole-run latency as cumulative counts at `boundsUs` (empty before the run starts). */
  latencyCounts(boundsUs: readonly number[]): ReturnType<Aggregator['latencyCounts']> {
    return this.aggregator?.latencyCounts(boundsUs) ?? [];
  }

  connectCounts(boundsUs: readonly number[]): BoundCounts | undefined {
    return this.aggregator?.connectCounts(boundsUs);
  }

  /** Users the pool runs now, the target the ramp goes to, and those of it a lost agent took with it. */
  get users(): {readonly current: number; readonly target: number; readonly stranded: number} {
    return {current: this.ramp.sent, target: this.ramp.target, stranded: this.pool.stranded ?? 0};
  }

  onState(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Notes an event in the run's log (shown live and kept in reports). */
  event(kind: 'info' | 'users' | 'warning' | 'failure', text: string, at?: number): void {
    this.aggregator.event(kind, text, at);
  }

  /** Quick mode's `-n`: `listener` is called once every request of the budget has ended. */
  onSpent(listener: () => void): () => void {
    this.spentListeners.add(listener);
    return () => this.spentListeners.delete(listener);
  }

  /** Starts a new segment (a step, a stage) for per-stage figures, from the next interval on. */
  cut(label: string, kind: SegmentKind = 'step'): void {
    this.aggregator.segments.cut(label, kind);
  }

  /** Starts the pool and waits until each worker has loaded the workload. */
  async start(): Promise<void> {
    await this.pool.start({
      snapshot: (snapshot) => this.clock.receive(snapshot),
      note: (kind, text) => this.note(kind, text),
      scriptError: (task, where, message) => this.aggregator?.recordScriptError(task, where, message),
      spent: () => {
        for (const listener of this.spentListeners) listener();
      },
    });
    this.aggregator = new Aggregator(Date.now(), this.options.maxEndpoints ?? 200);
    for (const [kind, text] of this.early ?? []) this.aggregator.event(kind, text);
    this.early = undefined;
    this.cpu = process.cpuUsage();
    this.cpuAt = performance.now();
    this.clock.start();
  }

  /** Notes an event, also before the run started. */
  private note(kind: 'info' | 'warning', text: string): void {
    if (this.early) this.early.push([kind, text]);
    else this.aggregator.event(kind, text);
  }

  /** The workers' console output (stdout and stderr), counted: captured rather than written to the terminal. */
  get output(): OutputCounts {
    return this.pool.output;
  }

  /** Listens to the workers' console output (a headless run may print it). */
  onOutput(listener: (workerId: number, text: string) => void): () => void {
    return this.pool.onOutput(listener);
  }

  /** Debug: each live worker's open handles and heap, for leak checks. */
  probe(timeoutMs = 2000): Promise<WorkerProbe[]> {
    return this.pool.probe(timeoutMs);
  }

  /**
   * Asks for `users` virtual users, reached at `spawnRate` users a second (Infinity: at once).
   * Safe to call at any moment, also mid-ramp: the ramp restarts from where it is.
   */
  setUsers(users: number, spawnRate?: number): void {
    this.ramp.to(users, spawnRate);
  }

  /**
   * Open model: `perSecond` iterations a second (each a request in quick mode, a task in a scenario),
   * started on schedule whatever the target does, by at most `maxUsers` users.
   */
  setRate(perSecond: number, maxUsers: number): void {
    this.targetRate = Math.max(0, perSecond);
    this.maxUsers = maxUsers;
    this.pool.setRate(this.targetRate, maxUsers);
  }

  /** The open model's target rate (iterations/s), when one was set. */
  get rate(): {readonly perSecond: number; readonly maxUsers: number} | undefined {
    return this.targetRate === undefined ? undefined : {perSecond: this.targetRate, maxUsers: this.maxUsers};
  }

  private publish(snapshots: IntervalSnapshot[], final = false): void {
    const now = performance.now();
    const cpu = process.cpuUsage(this.cpu);
    const cpuCores = (cpu.user + cpu.system) / 1000 / Math.max(1, now - this.cpuAt);
    this.cpu = process.cpuUsage();
    this.cpuAt = now;
    // The final snapshots report the users each worker ran up to the stop. A snapshot numbered -1 outside
    // the shutdown is a dying worker's last: its users are gone from it.
    for (const snap of snapshots) this.activeUsers.set(snap.health.workerId, snap.seq === -1 && !final ? 0 : snap.health.users);
    let users = 0;
    for (const n of this.activeUsers.values()) users += n;
    // A run shorter than one interval has no worker report of its users yet: what was asked for ran.
    if (final && this.activeUsers.size === 0) users = this.ramp.sent;
    // Users a lost agent took with it (not reassigned) are not coming: the target is what can still run.
    const targetUsers = this.targetRate === undefined ? Math.max(0, this.ramp.target - this.users.stranded) : this.maxUsers;
    const state = this.aggregator.tick(snapshots, {at: Date.now(), users, targetUsers, cpuCores, rate: this.targetRate});
    for (const listener of this.listeners) listener(state);
  }

  /** Stops every user (each finishes its current request, up to `graceMs`), folds the last partial interval and ends the workers. */
  stop(graceMs = 2000): Promise<RunState> {
    this.stopped ??= this.shutdown(graceMs);
    return this.stopped;
  }

  private async shutdown(graceMs: number): Promise<RunState> {
    this.clock.stop();
    this.ramp.halt();
    const finals = await this.pool.stop(graceMs);
    this.publish(this.clock.withLate(finals), true);
    this.ramp.sent = 0;
    return this.aggregator.finish();
  }
}
