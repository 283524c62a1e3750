import {expect, test} from 'vitest';
import {findBreakingPoint} from '../../source/analysis/breaking-point.js';
import type {Segment} from '../../source/engine/segments.js';

const step = (index: number, users: number, rps: number, p95: number): Segment => ({
  index,
  label: `${index}/3 ${users} users`,
  kind: 'step',
  fromMs: index * 15_000,
  toMs: (index + 1) * 15_000,
  settledFromMs: index * 15_000 + 1000,
  users,
  targetUsers: users,
  dropped: 0,
  scriptErrors: 0,
  requests: rps * 15,
  failures: 0,
  rps,
  failRate: 0,
  latencyMs: {mean: p95 / 2, p50: p95 / 3, p90: p95 * 0.9, p95, p99: p95 * 1.5, max: p95 * 2},
  failuresByKind: {},
  endpoints: {},
});

test('the verdict names the p95 that broke the rule, as a person would write it', () => {
  const bp = findBreakingPoint([step(1, 20, 17.5, 113.279), step(2, 40, 34, 344.063)], []);
  expect(bp.broken?.reason).toBe('p95 344 ms > 3× baseline 113 ms');
  const fast = findBreakingPoint([step(1, 20, 400, 1.234), step(2, 40, 790, 12.3456)], []);
  expect(fast.broken?.reason).toBe('p95 12.3 ms > 3× baseline 1.23 ms');
});
