// The endpoint table's columns, fitted to the width it gets: at 120 columns all of them and a wide
// trend; narrower, the least telling columns go first (max, then the failure count, then p50 …).
import type {EndpointState} from '../engine/run-state.js';
import {endpointLabel} from './derive.js';
import {fmtCompact, fmtCount, fmtMs, fmtPct, fmtRate, padEnd, padStart} from './format.js';
import type {Seg} from './seg.js';
import {sparkline} from './sparkline.js';

export type ColumnId = 'reqs' | 'fail' | 'failPct' | 'rps' | 'p50' | 'p95' | 'p99' | 'max';

interface Column {
  readonly id: ColumnId;
  readonly title: string;
  readonly width: number;
}

const COLUMNS: readonly Column[] = [
  {id: 'reqs', title: 'reqs', width: 8},
  {id: 'fail', title: 'fail', width: 6},
  {id: 'failPct', title: 'fail%', width: 6},
  {id: 'rps', title: 'req/s', width: 7},
  {id: 'p50', title: 'p50', width: 6},
  {id: 'p95', title: 'p95', width: 6},
  {id: 'p99', title: 'p99', width: 6},
  {id: 'max', title: 'max', width: 6},
];
const DROP_ORDER: readonly ColumnId[] = ['max', 'fail', 'p50', 'p99', 'reqs', 'rps'];
const NAME_MIN = 20;
const NAME_MAX = 36;
const TREND_MIN = 8;
const TREND_MAX = 32;
const TREND_GAP = 2;

export interface TableLayout {
  readonly nameWidth: number;
  readonly columns: readonly Column[];
  /** 0 when there is no room for the trend. */
  readonly trendWidth: number;
}

const fixed = (cols: readonly Column[]) => cols.reduce((sum, c) => sum + c.width + 1, 0);

/** @param width the table's inner width, @param longestName the longest endpoint label. */
export function tableLayout(width: number, longestName: number): TableLayout {
  let cols = [...COLUMNS];
  const fits = (trend: number) => 1 + NAME_MIN + fixed(cols) + (trend > 0 ? TREND_GAP + trend : 0) <= width;
  for (const id of DROP_ORDER) {
    if (fits(TREND_MIN)) break;
    if (cols.length > 2) cols = cols.filter((c) => c.id !== id);
  }
  let trendWidth = fits(TREND_MIN) ? TREND_MIN : 0;
  const rest = width - 1 - fixed(cols) - (trendWidth > 0 ? TREND_GAP : 0);
  const nameWant = Math.max(NAME_MIN, Math.min(NAME_MAX, longestName));
  if (trendWidth > 0) trendWidth = Math.max(TREND_MIN, Math.min(TREND_MAX, rest - nameWant));
  return {nameWidth: Math.max(1, rest - trendWidth), columns: cols, trendWidth};
}

function cell(e: EndpointState, id: ColumnId): Seg {
  const failRate = e.requests > 0 ? e.failures / e.requests : 0;
  switch (id) {
    case 'reqs':
      return {text: e.requests < 10_000_000 ? fmtCount(e.requests) : fmtCompact(e.requests)};
    case 'fail':
      return e.failures > 0 ? {text: fmtCompact(e.failures), color: 'red'} : {text: '0', dim: true};
    case 'failPct':
      return {text: fmtPct(failRate), ...(failRate >= 0.01 ? {color: 'red'} : failRate > 0 ? {color: 'yellow'} : {dim: true})};
    case 'rps':
      return {text: fmtRate(e.now.rps)};
    case 'p50':
      return {text: fmtMs(e.latencyMs.p50)};
    case 'p95':
      return {text: fmtMs(e.latencyMs.p95), bold: true};
    case 'p99':
      return {text: fmtMs(e.latencyMs.p99)};
    case 'max':
      return {text: fmtMs(e.latencyMs.max), dim: true};
  }
}

export function headingLine(layout: TableLayout): Seg[] {
  let text = ` ${padEnd('name', layout.nameWidth)}`;
  for (const c of layout.columns) text += ` ${padStart(c.title, c.width)}`;
  const trend = layout.trendWidth >= 9 ? 'p95 trend' : 'p95 ~';
  if (layout.trendWidth > 0) text += `${' '.repeat(TREND_GAP)}${padEnd(trend, layout.trendWidth)}`;
  return [{text, dim: true}];
}

export function rowLine(e: EndpointState, layout: TableLayout, selected: boolean): Seg[] {
  const line: Seg[] = [
    selected ? {text: '▸', color: 'cyan', bold: true} : {text: ' '},
    {text: padEnd(endpointLabel(e), layout.nameWidth), ...(selected ? {bold: true, inverse: true} : {})},
  ];
  for (const c of layout.columns) {
    const s = cell(e, c.id);
    line.push({text: ' '}, {...s, text: padStart(s.text, c.width)});
  }
  if (layout.trendWidth > 0) {
    const trend = sparkline(
      e.history.map((h) => h.p95),
      layout.trendWidth,
    );
    line.push({text: ' '.repeat(TREND_GAP)}, {text: padEnd(trend, layout.trendWidth), color: 'cyan'});
  }
  return line;
}
