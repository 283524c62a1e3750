import {useMemo} from 'react';
import type {SeriesPoint} from '../../engine/run-state.js';
import {throughputChart} from '../charts.js';
import {plotHeightFor} from '../layout.js';
import ChartPanel from './chart-panel.js';

type Props = {
  readonly series: readonly SeriesPoint[];
  readonly width: number;
  /** Panel height, borders included. */
  readonly height: number;
  readonly color: boolean;
};

/** Requests/s against users over time: a flattening solid line under a climbing dotted one is the knee. */
export default function ThroughputChart({series, width, height, color}: Props) {
  const plotHeight = plotHeightFor(height);
  const content = useMemo(() => throughputChart(series, width - 2, plotHeight), [series, width, plotHeight]);
  return <ChartPanel content={content} width={width} height={height} color={color} />;
}
