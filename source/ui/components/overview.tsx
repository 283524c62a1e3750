import {Box} from 'ink';
import type {EndpointState, RunState} from '../../engine/run-state.js';
import type {FirstFailure, KindShare, LatencyPoint} from '../derive.js';
import type {SortKey} from '../keymap.js';
import type {OverviewLayout} from '../layout.js';
import EndpointTable from './endpoint-table.js';
import EventLog from './event-log.js';
import FailureBreakdown from './failure-breakdown.js';
import LatencyChart from './latency-chart.js';
import QuickPanels from './quick-panels.js';
import ThroughputChart from './throughput-chart.js';

type Props = {
  readonly run: RunState;
  readonly rows: readonly EndpointState[];
  readonly selected: EndpointState | undefined;
  readonly sort: SortKey;
  readonly layout: OverviewLayout;
  readonly overallKinds: readonly KindShare[];
  readonly endpointKinds: readonly KindShare[];
  readonly first: FirstFailure | undefined;
  readonly latency: readonly LatencyPoint[];
  readonly scope: string;
  readonly width: number;
  readonly color: boolean;
};

/** Width of the failure breakdown beside the event log. */
export const breakdownWidth = (width: number, withEvents: boolean) =>
  withEvents ? Math.min(64, Math.max(40, Math.floor(width * 0.52))) : width;

/** Table, charts, failures and events: everything that fits on one screen. */
export default function Overview(p: Props) {
  const {layout, width, color} = p;
  const half = Math.floor(width / 2);
  const fw = breakdownWidth(width, layout.events);
  return (
    <Box flexDirection="column" width={width}>
      <EndpointTable rows={p.rows} selected={p.selected?.key ?? null} sort={p.sort} width={width} height={layout.table} color={color} />
      {layout.quick > 0 && (
        <QuickPanels
          statusCodes={p.run.totals.statusCodes ?? {}}
          buckets={p.run.totals.latencyBuckets ?? []}
          width={width}
          height={layout.quick}
          color={color}
        />
      )}
      {layout.charts > 0 && (
        <Box flexDirection="row">
          <ThroughputChart series={p.run.series} width={half} height={layout.charts} color={color} />
          <LatencyChart points={p.latency} scope={p.scope} width={width - half} height={layout.charts} color={color} />
        </Box>
      )}
      {layout.bottom > 0 && (
        <Box flexDirection="row">
          <FailureBreakdown
            overall={p.overallKinds}
            endpoint={p.selected ? {label: p.scope, kinds: p.endpointKinds} : undefined}
            first={p.first}
            failures={p.run.totals.failures}
            requests={p.run.totals.requests}
            scriptErrors={{count: p.run.totals.scriptErrors, top: p.run.scriptErrors}}
            width={fw}
            height={layout.bottom}
            color={color}
          />
          {layout.events && <EventLog events={p.run.events} width={width - fw} height={layout.bottom} color={color} />}
        </Box>
      )}
    </Box>
  );
}
