import {fmtMs, fmtPct} from '../format.js';
import {fitSegs, type Seg} from '../seg.js';
import SegLine from './seg-line.js';
import type {RecoveryStatus} from '../../analysis/recovery.js';

type Props = {
  readonly recovery: RecoveryStatus;
  /** Run time now, to show how long recovery has been going on. */
  readonly elapsedMs: number;
  readonly width: number;
  readonly color: boolean;
};

export function recoverySegs(r: RecoveryStatus, elapsedMs: number): Seg[] {
  const since = r.sinceMs !== undefined ? fmtMs(Math.max(0, elapsedMs - r.sinceMs)) : undefined;
  const vs = (now: number | undefined, base: number | undefined, fmt: (x: number) => string) =>
    `${now !== undefined ? fmt(now) : '–'} → baseline ${base !== undefined ? fmt(base) : '–'}`;
  const fail =
    (r.currentFailRate ?? 0) > 0 || (r.baselineFailRate ?? 0) > 0 ? `, fail ${vs(r.currentFailRate, r.baselineFailRate, fmtPct)}` : '';
  switch (r.state) {
    case 'idle':
      return [];
    case 'recovering':
      return [
        {text: ' recovering… ', color: 'yellow', bold: true},
        {text: `p95 ${vs(r.currentP95, r.baselineP95, fmtMs)}${fail}${since ? `, ${since}` : ''}`},
      ];
    case 'recovered':
      return [
        {text: ' recovered', color: 'green', bold: true},
        {text: ` in ${r.recoveredAfterMs !== undefined ? fmtMs(r.recoveredAfterMs) : '–'}`},
        // Users stopped at the spawn rate: how much of that was brink lowering the load.
        ...(r.loweringMs ? [{text: ` (${fmtMs(r.loweringMs)} of it lowering the load)`, dim: true}] : []),
        {text: ` (p95 ${vs(r.currentP95, r.baselineP95, fmtMs)})`, dim: true},
      ];
    case 'not_recovered':
      return [
        {text: ' not recovered', color: 'red', bold: true},
        {text: since ? ` after ${since}` : ''},
        {text: `: p95 ${vs(r.currentP95, r.baselineP95, fmtMs)}${fail}`},
      ];
  }
}

/** After `b`: is the target getting back to its baseline, and how long did it take. */
export default function RecoveryLine({recovery, elapsedMs, width, color}: Props) {
  return <SegLine segs={fitSegs(recoverySegs(recovery, elapsedMs), width)} color={color} />;
}
