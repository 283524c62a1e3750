import {useMemo} from 'react';
import type {EndpointState} from '../../engine/run-state.js';
import {endpointLabel} from '../derive.js';
import {textWidth} from '../format.js';
import type {SortKey} from '../keymap.js';
import {tableWindow} from '../layout.js';
import type {Seg} from '../seg.js';
import {headingLine, rowLine, tableLayout} from '../table.js';
import Lines from './lines.js';
import Panel from './panel.js';

type Props = {
  /** Already sorted. */
  readonly rows: readonly EndpointState[];
  readonly selected: string | null;
  readonly sort: SortKey;
  readonly width: number;
  /** Panel height, borders included. */
  readonly height: number;
  readonly color: boolean;
};

const SORT_LABEL: Readonly<Record<SortKey, string>> = {traffic: 'traffic', p95: 'p95', failures: 'failures'};

/** Per-endpoint figures, one row each; the window scrolls to keep the selected row in view. */
export default function EndpointTable({rows, selected, sort, width, height, color}: Props) {
  const inner = width - 2;
  const longest = useMemo(() => rows.reduce((m, e) => Math.max(m, textWidth(endpointLabel(e))), 0), [rows]);
  const layout = useMemo(() => tableLayout(inner, longest), [inner, longest]);
  const selectedIndex = selected === null ? -1 : rows.findIndex((e) => e.key === selected);
  const {start, count} = tableWindow(height, rows.length, selectedIndex);
  const lines = useMemo(() => {
    const out: Seg[][] = [headingLine(layout)];
    if (rows.length === 0) out.push([{text: ' no requests yet', dim: true}]);
    for (const e of rows.slice(start, start + count)) out.push(rowLine(e, layout, e.key === selected));
    const hidden = rows.length - count;
    if (hidden > 0) {
      const above = start > 0 ? `${start} above, ` : '';
      out.push([{text: ` +${hidden} more (${above}↑↓ to scroll)`, dim: true}]);
    }
    return out;
  }, [rows, layout, selected, start, count]);
  const title: Seg[] = [
    {text: 'endpoints', bold: true},
    {text: ` (sort: ${SORT_LABEL[sort]} ▾)`, dim: true},
    {text: selected === null ? ' · ↓ to select' : '', dim: true},
  ];
  return (
    <Panel title={title} width={width} height={height} color={color}>
      <Lines lines={lines} color={color} />
    </Panel>
  );
}
