// The verdict's recovery line when brink lowered the load at a spawn rate: the time the target took is told apart
// from the time brink took to bring the load down (users stop at -r a second).
import {describe, expect, it} from 'vitest';
import {verdictLines} from '../../source/report/verdict.js';
import type {RecoveryStatus} from '../../source/analysis/recovery.js';
import {summary} from './summaries.js';

const recovered = (recoveredAfterMs: number, loweringMs?: number): RecoveryStatus => ({
  state: 'recovered',
  sinceMs: 35_000,
  baselineP95: 34.1,
  baselineFailRate: 0,
  currentP95: 28.2,
  currentFailRate: 0,
  recoveredAfterMs,
  ...(loweringMs === undefined ? {} : {loweringMs}),
});
const line = (r: RecoveryStatus) => verdictLines(summary([], {recovery: r})).find((l) => l.startsWith('recovery'));

describe('the recovery line', () => {
  it('counts from the drop when the load dropped at once', () => {
    expect(line(recovered(2000))).toBe(
      'recovery         back to baseline (p95 28.2ms vs 34.1ms, failures 0.0 %) 2s after the load dropped',
    );
  });

  it('says how much of it was brink lowering the load, and how long the target took once it was back', () => {
    expect(line(recovered(16_000, 14_000))).toBe(
      'recovery         back to baseline (p95 28.2ms vs 34.1ms, failures 0.0 %) 16s after the load began to drop: 2s after it was back at the baseline (users stop at the spawn rate: lowering it took 14s)',
    );
  });

  it('says the target was back by the time the load was, when it healed while users were still stopping', () => {
    expect(line(recovered(9000, 14_000))).toMatch(/9s after the load began to drop: by the time it was back at the baseline \(users stop/);
  });
});
