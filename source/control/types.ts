// What the live view shows and what its keys ask for. The steering controller produces LiveState
// from the engine's RunState plus the plan; the UI renders it and sends Commands back, nothing else.
import type {RunState} from '../metrics/run-state.js';
import type {Outage} from '../analysis/outages.js';

export type Command =
  | {readonly type: 'addUsers'}
  | {readonly type: 'removeUsers'}
  | {readonly type: 'stepUp'}
  | {readonly type: 'stepDown'}
  | {readonly type: 'hold'}
  | {readonly type: 'next'}
  | {readonly type: 'baseline'}
  | {readonly type: 'stop'};

export interface PlanStatus {
  /** e.g. "step 4 of 10 · next +10 in 12 s", "holding at 40 users", "constant 20 users". */
  readonly label: string;
  readonly held: boolean;
  /** True once a key changed the users: the plan no longer drives them until `n` (next stage) hands back. */
  readonly manual: boolean;
}

export interface RecoveryStatus {
  readonly state: 'idle' | 'recovering' | 'recovered' | 'not_recovered';
  /** ms since the run started when the load dropped. */
  readonly sinceMs?: number;
  /** p95 (ms) and failure rate (0..1) of the baseline the run must return to. */
  readonly baselineP95?: number;
  readonly baselineFailRate?: number;
  readonly currentP95?: number;
  readonly currentFailRate?: number;
  /** How long recovery took, once recovered. */
  readonly recoveredAfterMs?: number;
}

export interface LiveState {
  readonly run: RunState;
  /** The target's base URL. */
  readonly target: string;
  /** The scenario's name or file, or the quick-mode request ("GET http://…/"). */
  readonly scenario: string;
  readonly plan: PlanStatus;
  /** Users added or removed by one `+`/`-`. */
  readonly step: number;
  readonly recovery: RecoveryStatus;
  /** Outages so far, at any load; the last has no `toMs` while it goes on. */
  readonly outages: ReadonlyArray<Outage>;
  readonly running: boolean;
  /** Thresholds as the last interval judged them (empty when none were given). */
  readonly thresholds: ReadonlyArray<{readonly expression: string; readonly ok: boolean; readonly value: string}>;
}

/** The ladder `]` and `[` move along. */
export const STEPS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000] as const;
