// What a person steering a run can ask for (the live view's keys), and the record each request leaves.
// Plain data: the steering controller carries them out, the reports list them.

export type Command =
  | {readonly type: 'addUsers'}
  | {readonly type: 'removeUsers'}
  | {readonly type: 'stepUp'}
  | {readonly type: 'stepDown'}
  | {readonly type: 'hold'}
  | {readonly type: 'next'}
  | {readonly type: 'baseline'}
  | {readonly type: 'stop'};

export interface ManualChange {
  readonly atMs: number;
  readonly command: Command['type'];
  readonly users: number;
}

/** The ladder `]` and `[` move along. */
export const STEPS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000] as const;
