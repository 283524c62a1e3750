// The live view's container: reads the store, owns what is only about the screen (selection, sort,
// view, help), turns keys into Commands, and hands plain props to components that only lay out.
import {Box, useInput, useStdin, type Key} from 'ink';
import {useCallback, useMemo, useRef, useState} from 'react';
import ChartsView from './components/charts-view.js';
import EndpointView from './components/endpoint-view.js';
import Footer from './components/footer.js';
import Header from './components/header.js';
import HealthLine from './components/health-line.js';
import AgentRows, {agentLines} from './components/agent-rows.js';
import ThresholdLine from './components/threshold-line.js';
import HelpOverlay from './components/help-overlay.js';
import Overview from './components/overview.js';
import RecoveryLine from './components/recovery-line.js';
import {protocolLabel} from '../engine/connections.js';
import {breakdown, detailData, endpointLabel, firstFailure, latencyPoints, ongoingOutage, sortEndpoints} from './derive.js';
import {colorEnabled} from './format.js';
import {INITIAL_UI, keymap, type UiState} from './keymap.js';
import {bodyLines, overviewLayout} from './layout.js';
import type {LiveStore} from './store.js';
import useLiveState from './use-live-state.js';
import useTerminalSize from './use-terminal-size.js';
import type {Command} from '../plan/commands.js';

export type Props = {
  readonly store: LiveStore;
  readonly dispatch: (command: Command) => void;
  /** Most re-renders a second from store updates. @default 4 */
  readonly maxFps?: number;
  /** Colour hints; off under NO_COLOR. @default colorEnabled() */
  readonly color?: boolean;
};

export default function App({store, dispatch, maxFps = 4, color = colorEnabled()}: Props) {
  const [ui, setUi] = useState<UiState>(INITIAL_UI);
  const state = useLiveState(store, Math.round(1000 / Math.max(1, maxFps)), ui.frozen);
  const {run} = state;
  const {columns, rows} = useTerminalSize();
  // Keys can arrive faster than React re-renders: the handler works from refs, not the last render.
  const uiRef = useRef(ui);
  const sorted = useMemo(() => sortEndpoints(run.endpoints, ui.sort), [run.endpoints, ui.sort]);
  const rowKeys = useMemo(() => sorted.map((e) => e.key), [sorted]);
  const rowKeysRef = useRef(rowKeys);
  rowKeysRef.current = rowKeys;

  const onKey = useCallback(
    (input: string, key: Key) => {
      // Keys typed fast (or sent over a slow ssh link) can arrive as one chunk, "++": each is a press.
      const presses = input.length > 1 && !key.ctrl && !key.meta && !key.escape ? [...input] : [input];
      for (const press of presses) {
        const result = keymap(press, key, uiRef.current, rowKeysRef.current);
        if (result.ui) {
          uiRef.current = result.ui;
          setUi(result.ui);
        }
        if (result.command) dispatch(result.command);
      }
    },
    [dispatch],
  );
  const {isRawModeSupported} = useStdin();
  useInput(onKey, {isActive: isRawModeSupported === true});

  const selected = useMemo(() => sorted.find((e) => e.key === ui.selected), [sorted, ui.selected]);
  const scope = selected ? endpointLabel(selected) : 'all traffic';
  const overallKinds = useMemo(() => breakdown(run.totals.failuresByKind), [run.totals.failuresByKind]);
  const endpointKinds = useMemo(() => (selected ? breakdown(selected.failuresByKind) : []), [selected]);
  const first = useMemo(() => firstFailure(run.endpoints), [run.endpoints]);
  const latency = useMemo(() => latencyPoints(run, selected), [run, selected]);

  const outage = useMemo(() => ongoingOutage(state.outages), [state.outages]);
  const recovering = state.recovery.state !== 'idle';
  const gated = state.thresholds.length > 0;
  const statusLines = (recovering ? 1 : 0) + (gated ? 1 : 0) + agentLines(run.health.workers);
  const body = bodyLines(rows, statusLines);
  let main;
  if (ui.help) {
    main = <HelpOverlay step={state.step} width={columns} height={body} color={color} />;
  } else if (ui.view === 'charts') {
    main = <ChartsView series={run.series} latency={latency} scope={scope} width={columns} height={body} color={color} />;
  } else if (ui.view === 'endpoint') {
    const position = selected ? `${sorted.indexOf(selected) + 1} of ${sorted.length}` : '';
    main = (
      <EndpointView data={detailData(run, selected)} position={position} latency={latency} width={columns} height={body} color={color} />
    );
  } else {
    const failureLines =
      Math.min(5, overallKinds.length) +
      (first ? 1 : 0) +
      (selected && endpointKinds.length > 0 ? 1 + Math.min(3, endpointKinds.length) : 0) +
      (run.totals.scriptErrors > 0 ? Math.min(3, 1 + run.scriptErrors.length) : 0);
    const layout = overviewLayout({
      columns,
      rows,
      endpoints: sorted.length,
      failureLines,
      events: run.events.length,
      recovery: statusLines,
      quick: state.mode === 'quick',
    });
    main = (
      <Overview
        run={run}
        rows={sorted}
        selected={selected}
        sort={ui.sort}
        layout={layout}
        overallKinds={overallKinds}
        endpointKinds={endpointKinds}
        first={first}
        latency={latency}
        scope={scope}
        width={columns}
        color={color}
      />
    );
  }

  return (
    <Box flexDirection="column" width={columns}>
      <Header
        target={state.target}
        scenario={state.scenario}
        elapsedMs={run.elapsedMs}
        plan={state.plan}
        users={run.users}
        rate={run.rate}
        dropped={run.totals.dropped}
        now={run.now}
        outage={outage}
        running={state.running}
        width={columns}
        color={color}
      />
      <HealthLine
        health={run.health}
        connections={run.connections}
        protocol={protocolLabel(run.totals.protocols)}
        rps={run.now.rps}
        users={run.users.active}
        warnings={run.warnings}
        width={columns}
        color={color}
      />
      <AgentRows workers={run.health.workers} width={columns} color={color} />
      {recovering && <RecoveryLine recovery={state.recovery} elapsedMs={run.elapsedMs} width={columns} color={color} />}
      {gated && <ThresholdLine thresholds={state.thresholds} width={columns} color={color} />}
      {main}
      <Footer step={state.step} view={ui.view} frozen={ui.frozen} width={columns} color={color} />
    </Box>
  );
}
