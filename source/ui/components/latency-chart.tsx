import {useMemo} from 'react';
import type {LatencyPoint} from '../derive.js';
import {latencyChart} from '../charts.js';
import {plotHeightFor} from '../layout.js';
import ChartPanel from './chart-panel.js';

type Props = {
  readonly points: readonly LatencyPoint[];
  /** "all traffic" or the selected endpoint's label. */
  readonly scope: string;
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
};

/** p50/p95/p99 over time for all traffic or the selected endpoint. */
export default function LatencyChart({points, scope, width, height, color}: Props) {
  const plotHeight = plotHeightFor(height);
  const content = useMemo(() => latencyChart(points, scope, width - 2, plotHeight), [points, scope, width, plotHeight]);
  return <ChartPanel content={content} width={width} height={height} color={color} />;
}
