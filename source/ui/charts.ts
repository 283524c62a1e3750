// The two charts' content, as pure functions of the data and the space they get. Only the points
// that fit the width are plotted, so a long run costs the same per frame as a short one.
import type {SeriesPoint} from '../engine/run-state.js';
import type {LatencyPoint} from './derive.js';
import {fmtAxisMs, fmtClock, fmtCompact, fmtMs, fmtRateShort} from './format.js';
import {LINE_GLYPH, renderChart, timeAxis} from './plot.js';
import {joinFitting, type Seg} from './seg.js';

export interface ChartContent {
  readonly title: Seg[];
  /** The plot (height + 1 lines), then the time axis. */
  readonly lines: Seg[][];
  /** One line under the chart: a legend or a reading of it. */
  readonly note: Seg[];
}

/** A chart note from groups of segments: the groups that fit, in order. */
export const noteFor = (groups: ReadonlyArray<readonly Seg[]>, width: number): Seg[] => joinFitting(groups, width, ' · ');

const LABEL = 6;
const RIGHT = 6;

const times = (ts: readonly number[]) => ts.map((t) => (Number.isFinite(t) ? fmtClock(t * 1000) : ''));

function waiting(title: Seg[]): ChartContent {
  return {title, lines: [[{text: 'waiting for the first interval…', dim: true}]], note: []};
}

/** Relative change between the start and the end of the last `windowS` seconds, each end averaged over 3 points. */
function change(points: readonly SeriesPoint[], windowS: number, pick: (p: SeriesPoint) => number) {
  const lastT = points[points.length - 1]!.t;
  const win = points.filter((p) => p.t > lastT - windowS);
  const k = Math.min(3, Math.floor(win.length / 2));
  if (k < 1) return undefined;
  const avg = (ps: readonly SeriesPoint[]) => ps.reduce((s, p) => s + pick(p), 0) / ps.length;
  return {from: avg(win.slice(0, k)), to: avg(win.slice(-k))};
}

const pctChange = (from: number, to: number) =>
  from > 0 ? `${to >= from ? '+' : '−'}${Math.round((Math.abs(to - from) / from) * 100)}%` : to > 0 ? 'from 0' : '±0%';

/**
 * What the chart says in words, most telling first: throughput not following users over the last
 * 30 s, how users and req/s changed, and each user's req/s now against the start.
 */
export function throughputNote(points: readonly SeriesPoint[], perUserAtStart: number | undefined): Seg[][] {
  const groups: Seg[][] = [];
  const last = points[points.length - 1];
  const users = points.length >= 4 ? change(points, 30, (p) => p.users) : undefined;
  const rps = points.length >= 4 ? change(points, 30, (p) => p.rps) : undefined;
  if (users && rps) {
    const usersGain = users.from > 0 ? (users.to - users.from) / users.from : 0;
    const rpsGain = rps.from > 0 ? (rps.to - rps.from) / rps.from : 0;
    if (usersGain >= 0.1 && rpsGain < usersGain / 4) {
      groups.push([{text: 'throughput flat: more users, no more req/s', color: 'yellow', bold: true}]);
    }
    if (Math.abs(usersGain) >= 0.01) {
      groups.push([{text: `last 30s users ${pctChange(users.from, users.to)}, req/s ${pctChange(rps.from, rps.to)}`}]);
    }
  }
  if (last && last.users > 0 && perUserAtStart) {
    const now = last.rps / last.users;
    const share = Math.round((now / perUserAtStart) * 100);
    groups.push([
      {text: 'per user ', dim: true},
      {text: `${fmtRateShort(now)} req/s`, bold: true},
      {text: `, ${share}% of the start`, ...(share < 70 ? {color: 'yellow'} : {dim: true})},
    ]);
  }
  return groups;
}

/** Median req/s per user over the first 10 intervals with traffic: what a user yields before the target slows. */
export function startRatePerUser(series: readonly SeriesPoint[]): number | undefined {
  const early = series
    .filter((p) => p.users > 0 && p.rps > 0)
    .slice(0, 10)
    .map((p) => p.rps / p.users)
    .sort((a, b) => a - b);
  return early.length > 0 ? early[Math.floor(early.length / 2)] : undefined;
}

/**
 * Requests/s (solid, left axis) and users (dotted, right axis). Users are drawn at the req/s each
 * user made at the start, so while the target keeps up the two lines run together, and when it
 * stops keeping up the solid line falls away below the dotted one. If that scale would squash one
 * line (more than 3× apart), users are scaled to fill the height instead.
 */
export function throughputChart(series: readonly SeriesPoint[], width: number, height: number): ChartContent {
  const title: Seg[] = [
    {text: 'req/s '},
    {text: LINE_GLYPH.light, color: 'cyan'},
    {text: ' · users '},
    {text: LINE_GLYPH.dotted, color: 'magenta'},
  ];
  if (series.length === 0) return waiting(title);
  const withRight = width - LABEL - 1 - RIGHT >= 12;
  const plotWidth = Math.max(2, width - LABEL - 1 - (withRight ? RIGHT : 0));
  const visible = series.slice(-(plotWidth + 1));
  const rps = visible.map((p) => p.rps);
  const maxRps = Math.max(1, ...rps);
  const maxUsers = Math.max(1, ...visible.map((p) => p.users));
  const perUser = startRatePerUser(series);
  const linear = perUser !== undefined && maxUsers * perUser <= 3 * maxRps && maxUsers * perUser >= maxRps / 3;
  const scale = linear ? perUser : maxRps / maxUsers;
  title.push({text: linear ? ` at ${fmtRateShort(perUser)} req/s each (start)` : ' (fitted to height)', dim: true});
  const lines = renderChart({
    series: [
      {values: rps, style: 'light', color: 'cyan'},
      {values: visible.map((p) => p.users * scale), style: 'dotted', color: 'magenta'},
    ],
    height,
    plotWidth,
    leftLabel: (v) => (v > 0 ? fmtRateShort(v) : '0'),
    labelWidth: LABEL,
    ...(withRight ? {rightLabel: (v: number) => `${fmtCompact(Math.round(v / scale))}u`, rightWidth: RIGHT} : {}),
  });
  lines.push(timeAxis(times(visible.map((p) => p.t)), LABEL, plotWidth));
  return {title, lines, note: noteFor(throughputNote(visible, perUser), width)};
}

/** p95 (heavy), p99 (light), p50 (dotted) over time, for all traffic or one endpoint. */
export function latencyChart(points: readonly LatencyPoint[], scope: string, width: number, height: number): ChartContent {
  const title: Seg[] = [{text: `latency · ${scope}`}];
  if (points.length === 0) return waiting(title);
  const plotWidth = Math.max(2, width - LABEL - 1);
  const visible = points.slice(-(plotWidth + 1));
  const lines = renderChart({
    series: [
      {values: visible.map((p) => p.p95), style: 'heavy', color: 'yellow'},
      {values: visible.map((p) => p.p99), style: 'light', color: 'red'},
      {values: visible.map((p) => p.p50), style: 'dotted', color: 'green'},
    ],
    height,
    plotWidth,
    leftLabel: (v) => fmtAxisMs(v),
    labelWidth: LABEL,
  });
  lines.push(timeAxis(times(visible.map((p) => p.t)), LABEL, plotWidth));
  const last = visible[visible.length - 1]!;
  const note: Seg[] = [
    {text: LINE_GLYPH.heavy, color: 'yellow'},
    {text: ` p95 ${fmtMs(last.p95)}  `},
    {text: LINE_GLYPH.light, color: 'red'},
    {text: ` p99 ${fmtMs(last.p99)}  `},
    {text: LINE_GLYPH.dotted, color: 'green'},
    {text: ` p50 ${fmtMs(last.p50)}`},
    {text: '  (now)', dim: true},
  ];
  return {title, lines, note};
}
