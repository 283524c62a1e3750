import type {LiveState} from '../../control/types.js';
import {fitSegs, type Seg} from '../seg.js';
import SegLine from './seg-line.js';

type Props = {
  readonly thresholds: LiveState['thresholds'];
  readonly width: number;
  readonly color: boolean;
};

/** " thresholds ✓ p95<800ms 412 ms   ✗ errors<1% 2.40 %": the last interval's verdicts, broken ones first. */
export function thresholdSegs(thresholds: LiveState['thresholds']): Seg[] {
  const ordered = [...thresholds].sort((a, b) => Number(a.ok) - Number(b.ok));
  const segs: Seg[] = [{text: ' thresholds', dim: true}];
  for (const t of ordered) {
    segs.push({text: '   '});
    segs.push(t.ok ? {text: '✓ ', color: 'green'} : {text: '✗ ', color: 'red', bold: true});
    segs.push({text: t.expression, ...(t.ok ? {} : {bold: true})});
    segs.push({text: ` ${t.value}`, dim: true});
  }
  return segs;
}

export default function ThresholdLine({thresholds, width, color}: Props) {
  return <SegLine segs={fitSegs(thresholdSegs(thresholds), width)} color={color} />;
}
