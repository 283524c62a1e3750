// What the live view shows and what its keys ask for. The steering controller produces LiveState
// from the engine's RunState plus the plan; the UI renders it and sends Commands back, nothing else.
import type {RunState} from '../engine/run-state.js';
import type {Outage} from '../analysis/outages.js';
import type {RecoveryStatus} from '../analysis/recovery.js';

export interface PlanStatus {
  /** e.g. "step 4 of 10 · next +10 in 12 s", "holding at 40 users", "constant 20 users". */
  readonly label: string;
  readonly held: boolean;
  /** True once a key changed the users: the plan no longer drives them until `n` (next stage) hands back. */
  readonly manual: boolean;
}

export interface LiveState {
  readonly run: RunState;
  /** The target's base URL. */
  readonly target: string;
  /** The scenario's name or file, or the quick-mode request ("GET http://…/"). */
  readonly scenario: string;
  /** Quick mode (one URL, as hey and oha load it) or a scenario: the live view shows quick mode's own panels. */
  readonly mode?: 'quick' | 'scenario';
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
