import {Box} from 'ink';
import type {PlanStatus} from '../../control/types.js';
import type {IntervalFigures, RunState} from '../../engine/run-state.js';
import {fmtClock, fmtCompact, fmtMs, fmtPct, fmtRateShort} from '../format.js';
import {fitSegs, segsWidth, type Seg} from '../seg.js';
import SegLine from './seg-line.js';

type Props = {
  readonly target: string;
  readonly scenario: string;
  readonly elapsedMs: number;
  readonly plan: PlanStatus;
  readonly users: RunState['users'];
  /** Open model: target iterations a second (users are then a pool capped at users.target). */
  readonly rate?: number;
  readonly dropped?: number;
  readonly now: IntervalFigures;
  /** An outage going on now: when it began (ms since the run started) and what the target answers. */
  readonly outage?: {readonly fromMs: number; readonly what: string} | undefined;
  readonly running: boolean;
  readonly width: number;
  readonly color: boolean;
};

/** "users 52 → 60 spawning", "users 60 → 50 stopping", or "users 60"; open model: "rate 200/s  users 37/1k". */
export function usersSegs(users: RunState['users'], rate?: number, dropped = 0): Seg[] {
  const head: Seg = {text: 'users ', dim: true};
  if (rate !== undefined) {
    return [
      {text: 'rate ', dim: true},
      {text: `${fmtCompact(rate)}/s`, bold: true},
      {text: '   users ', dim: true},
      {text: `${fmtCompact(users.active)}/${fmtCompact(users.target)}`, bold: true},
      ...(dropped > 0
        ? [
            {text: '   dropped ', dim: true},
            {text: fmtCompact(dropped), color: 'red' as const, bold: true},
          ]
        : []),
    ];
  }
  if (users.stopping > 0 || users.target < users.active) {
    return [head, {text: `${fmtCompact(users.active)} → ${fmtCompact(users.target)}`, bold: true}, {text: ' stopping', color: 'yellow'}];
  }
  if (users.target > users.active) {
    return [head, {text: `${fmtCompact(users.active)} → ${fmtCompact(users.target)}`, bold: true}, {text: ' spawning', color: 'cyan'}];
  }
  return [head, {text: fmtCompact(users.active), bold: true}];
}

/** Left part cut to leave room for the right part, which is kept whole when it fits. */
function spread(left: readonly Seg[], right: readonly Seg[], width: number): Seg[] {
  const r = segsWidth(right) <= width - 12 ? [...right] : [];
  const l = fitSegs(left, width - segsWidth(r) - (r.length > 0 ? 2 : 0));
  const gap = Math.max(0, width - segsWidth(l) - segsWidth(r));
  return [...l, {text: ' '.repeat(gap)}, ...r];
}

export default function Header({target, scenario, elapsedMs, plan, users, rate, dropped, now, outage, running, width, color}: Props) {
  const line1Left: Seg[] = [
    {text: ' brink', bold: true, color: 'cyan'},
    {text: ' · ', dim: true},
    {text: scenario},
    {text: ' · ', dim: true},
    {text: target, dim: true},
  ];
  const line1Right: Seg[] = [
    // An outage, with its running timer: the one thing on screen that must not be missed.
    ...(outage
      ? [
          {text: ` OUTAGE ${fmtClock(Math.max(0, elapsedMs - outage.fromMs))} `, color: 'red' as const, bold: true, inverse: true},
          {text: ` ${outage.what}   `, color: 'red' as const},
        ]
      : []),
    {text: 'elapsed ', dim: true},
    {text: fmtClock(elapsedMs)},
    {text: '   '},
    running ? {text: '● running', color: 'green', bold: true} : {text: '■ stopped', color: 'red', bold: true},
    {text: ' '},
  ];
  // The controller's label may already say "manual …" or "holding …"; add a badge only when it doesn't.
  const mode: Seg[] =
    plan.manual && !/manual/i.test(plan.label)
      ? [{text: ' manual (n: back to plan)', color: 'yellow', bold: true}]
      : plan.held && !/hold/i.test(plan.label)
        ? [{text: ' held', color: 'yellow', bold: true}]
        : [];
  const steered = plan.manual || plan.held;
  const line2Left: Seg[] = [{text: ' plan ', dim: true}, {text: plan.label, ...(steered ? {color: 'yellow', bold: true} : {})}, ...mode];
  const failColor = now.failRate >= 0.01 ? 'red' : now.failRate > 0 ? 'yellow' : undefined;
  const line2Right: Seg[] = [
    ...usersSegs(users, rate, dropped),
    {text: '   req/s ', dim: true},
    {text: fmtRateShort(now.rps), bold: true},
    {text: '   fail ', dim: true},
    {text: fmtPct(now.failRate), bold: true, ...(failColor ? {color: failColor} : {})},
    {text: '   p95 ', dim: true},
    // No response in the interval (the first second, a stalled target): no latency to show, not "0ms".
    {text: now.rps > 0 ? fmtMs(now.p95) : '–', bold: true},
    {text: ' '},
  ];
  return (
    <Box flexDirection="column">
      <SegLine segs={spread(line1Left, line1Right, width)} color={color} />
      <SegLine segs={spread(line2Left, line2Right, width)} color={color} />
    </Box>
  );
}
