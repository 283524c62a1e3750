// The seam between the engine and whatever generates the load. The engine asks a pool for users (or an
// arrival rate) and for interval snapshots, and gets plain snapshots back; it never knows whether the
// workers are threads of this process (thread-pool.ts) or agents on other machines.
import type {WorkerProbe} from '../protocol/messages.js';
import type {IntervalSnapshot} from '../protocol/snapshot.js';
import {BrinkError} from '../kernel/errors.js';

/** What a pool tells the engine as the run goes. */
export interface PoolEvents {
  /**
   * A worker's snapshot: the answer to `requestSnapshots(seq)`, late or not, or (seq -1) the last one of a worker
   * that is ending outside the shutdown, with what it measured since its previous snapshot.
   */
  snapshot(snapshot: IntervalSnapshot): void;
  /** Something worth the event log: a worker died, was replaced, a scenario's first console lines. */
  note(kind: 'info' | 'warning', text: string): void;
  /** A script error the pool found itself (a task that blocked its worker's event loop): the worker could not say it. */
  scriptError(task: string, where: string | undefined, message: string): void;
  /** Every worker has sent its share of the run's request budget (quick mode's `-n`), and each has ended. */
  spent?(): void;
}

/** The console output the workers' scenario code wrote, counted (it is captured, never written to the terminal). */
export interface OutputCounts {
  readonly lines: number;
  readonly bytes: number;
  readonly droppedBytes: number;
}

export interface WorkerPool {
  /** Slots the load is split over; users are numbered across them (user n runs on slot n % size). */
  readonly size: number;
  /** Slots with a worker that answers (size less the ones that died and could not be replaced). */
  readonly live: number;
  /** Starts every worker; resolves once each has loaded the workload, rejects (EngineError) when one cannot. */
  start(events: PoolEvents): Promise<void>;
  /** `total` users across the pool (each slot runs its share). Remembered: a replaced worker takes it up. */
  setUsers(total: number): void;
  /** Open model: `perSecond` iterations a second across the pool, at most `maxUsers` users. Remembered too. */
  setRate(perSecond: number, maxUsers: number): void;
  /** Asks every live worker for its interval snapshot numbered `seq`; the answers come through `events.snapshot`. */
  requestSnapshots(seq: number): void;
  /**
   * Stops every user (each finishes its current request, up to `graceMs`) and every worker; resolves with each
   * live worker's final snapshot (what it measured since its last one).
   */
  stop(graceMs: number): Promise<IntervalSnapshot[]>;
  /** Debug: each live worker's open handles and heap. */
  probe(timeoutMs: number): Promise<WorkerProbe[]>;
  readonly output: OutputCounts;
  /** Users asked for that nothing runs: a lost agent's share, not reassigned (closed model); absent or 0 otherwise. */
  readonly stranded?: number;
  /** Listens to the workers' console output (a headless run may print it). */
  onOutput(listener: (workerId: number, text: string) => void): () => void;
}

/** The workload could not start (a scenario that throws at load, a worker that could not be spawned). */
export class EngineError extends BrinkError {
  override name = 'EngineError';

  constructor(message: string) {
    super('BRINK_E_START', message);
  }
}
