import {Box} from 'ink';
import type {SeriesPoint} from '../../engine/run-state.js';
import type {LatencyPoint} from '../derive.js';
import {CHARTS_MIN_COLUMNS} from '../layout.js';
import LatencyChart from './latency-chart.js';
import ThroughputChart from './throughput-chart.js';

type Props = {
  readonly series: readonly SeriesPoint[];
  readonly latency: readonly LatencyPoint[];
  readonly scope: string;
  readonly width: number;
  /** Lines the body may use. */
  readonly height: number;
  readonly color: boolean;
};

/** Both charts as large as the screen allows: side by side when wide, else one above the other. */
export default function ChartsView({series, latency, scope, width, height, color}: Props) {
  if (width >= CHARTS_MIN_COLUMNS) {
    const half = Math.floor(width / 2);
    return (
      <Box flexDirection="row">
        <ThroughputChart series={series} width={half} height={height} color={color} />
        <LatencyChart points={latency} scope={scope} width={width - half} height={height} color={color} />
      </Box>
    );
  }
  const top = Math.floor(height / 2);
  return (
    <Box flexDirection="column">
      <ThroughputChart series={series} width={width} height={top} color={color} />
      <LatencyChart points={latency} scope={scope} width={width} height={height - top} color={color} />
    </Box>
  );
}
