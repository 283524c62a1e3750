// An engine as the controllers see it (LoadControl), in memory: it records what it was asked, and a test
// hands it the RunStates a run would have produced.
import type {LoadControl} from '../../source/engine/engine.js';
import type {RunState} from '../../source/engine/run-state.js';
import type {SegmentKind} from '../../source/engine/segments.js';
import {makeRun} from '../ui/fixtures.js';

export class FakeLoad implements LoadControl {
  state: RunState;
  users: {current: number; target: number; stranded?: number} = {current: 0, target: 0};
  rate: LoadControl['rate'];
  readonly asked: number[] = [];
  readonly cuts: Array<[string, SegmentKind]> = [];
  readonly events: string[] = [];
  private readonly listeners = new Set<(s: RunState) => void>();

  constructor(state: Partial<RunState> = {}) {
    this.state = makeRun({startedAt: 0, elapsedMs: 0, series: [], events: [], segments: [], ...state});
  }

  onState(listener: (s: RunState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A measured interval arrives. */
  publish(state: Partial<RunState>): void {
    this.state = {...this.state, ...state};
    for (const l of this.listeners) l(this.state);
  }

  event(_kind: string, text: string): void {
    this.events.push(text);
  }

  cut(label: string, kind: SegmentKind = 'step'): void {
    this.cuts.push([label, kind]);
  }

  setUsers(users: number): void {
    this.asked.push(users);
    this.users = {...this.users, current: users, target: users};
  }

  setRate(perSecond: number, maxUsers: number): void {
    this.rate = {perSecond, maxUsers};
  }
}
