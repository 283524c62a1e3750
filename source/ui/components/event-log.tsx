import type {RunEvent} from '../../engine/run-state.js';
import {fmtClock} from '../format.js';
import {fitSegs, type Seg} from '../seg.js';
import Lines from './lines.js';
import Panel from './panel.js';

type Props = {
  readonly events: readonly RunEvent[];
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
};

/** A mark per kind, so the kind reads without colour too. */
const MARK: Readonly<Record<RunEvent['kind'], Seg>> = {
  info: {text: '·', dim: true},
  users: {text: '→', color: 'cyan'},
  failure: {text: '✗', color: 'red'},
  warning: {text: '!', color: 'yellow', bold: true},
};

export function eventSegs(e: RunEvent): Seg[] {
  const text: Seg = e.kind === 'failure' || e.kind === 'warning' ? {text: e.text, color: MARK[e.kind].color} : {text: e.text};
  return [{text: ` ${fmtClock(e.atMs)} `, dim: true}, MARK[e.kind], {text: ' '}, text];
}

/** The most recent events that fit, oldest at the top. */
export default function EventLog({events, width, height, color}: Props) {
  const room = Math.max(0, height - 2);
  const shown = events.slice(-room);
  const lines = shown.length > 0 ? shown.map((e) => fitSegs(eventSegs(e), width - 2)) : [[{text: ' no events yet', dim: true}]];
  const title: Seg[] = [
    {text: 'events', bold: true},
    {text: events.length > room ? ` · last ${room} of ${events.length}` : '', dim: true},
  ];
  return (
    <Panel title={title} width={width} height={height} color={color}>
      <Lines lines={lines} color={color} />
    </Panel>
  );
}
