import {Box} from 'ink';
import type {DetailData, LatencyPoint} from '../derive.js';
import {chartPanelHeight} from '../layout.js';
import {failureLines, figureLines} from './endpoint-detail.js';
import EndpointDetail from './endpoint-detail.js';
import LatencyChart from './latency-chart.js';

type Props = {
  readonly data: DetailData;
  readonly position: string;
  readonly latency: readonly LatencyPoint[];
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
};

/** The selected endpoint (or all traffic) in detail, with its latency chart below when there is room. */
export default function EndpointView({data, position, latency, width, height, color}: Props) {
  const figures = figureLines(data).length;
  const failures = failureLines(data).length;
  const want = 2 + (width - 2 >= 100 ? Math.max(figures, failures) : figures + 1 + failures);
  const chartRoom = height - want;
  const chart = chartRoom >= chartPanelHeight(3) ? Math.min(chartRoom, chartPanelHeight(14)) : 0;
  return (
    <Box flexDirection="column">
      <EndpointDetail data={data} position={position} width={width} height={height - chart} color={color} />
      {chart > 0 && <LatencyChart points={latency} scope={data.label} width={width} height={chart} color={color} />}
    </Box>
  );
}
