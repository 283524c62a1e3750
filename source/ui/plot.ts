// Line charts drawn by asciichart, several series laid over one grid. asciichart draws every series
// with the same characters, so each series is plotted on its own with its own line style and the
// grids are merged: the series stay apart without colour (NO_COLOR), colour only adds to it.
import {plot} from 'asciichart';
import {padStart} from './format.js';
import type {Seg} from './seg.js';

export type LineStyle = 'light' | 'heavy' | 'dotted';

type Symbols = [string, string, string, string, string, string, string, string, string, string];
const SYMBOLS: Readonly<Record<LineStyle, Symbols>> = {
  light: ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'],
  heavy: ['┼', '┤', '╺', '╸', '━', '┗', '┏', '┓', '┛', '┃'],
  dotted: ['┼', '┤', '╶', '╴', '┄', '·', '·', '·', '·', '┆'],
};
export const LINE_GLYPH: Readonly<Record<LineStyle, string>> = {light: '─', heavy: '━', dotted: '┄'};

export interface PlotSeries {
  readonly values: readonly number[];
  readonly style: LineStyle;
  readonly color?: string;
}

export interface ChartSpec {
  /** Earlier series are drawn on top where lines meet. Each holds at most `plotWidth + 1` values. */
  readonly series: readonly PlotSeries[];
  /** Rows between the bottom and top gridlines; the chart is `height + 1` lines tall. */
  readonly height: number;
  /** Columns of the plot area: `plotWidth + 1` values fill it. */
  readonly plotWidth: number;
  /** Left axis labels, `labelWidth` wide. */
  readonly leftLabel: (value: number) => string;
  readonly labelWidth: number;
  /** Optional right axis, e.g. users on the throughput chart: gets the left value of the row. */
  readonly rightLabel?: (value: number) => string;
  readonly rightWidth?: number;
}

const clean = (v: number) => (Number.isFinite(v) && v > 0 ? v : 0);

/** One series as rows of exactly `width` characters (' ' where it does not pass). */
function grid(values: readonly number[], style: LineStyle, height: number, max: number, width: number): string[] {
  const vs = values.length === 1 ? [clean(values[0]!), clean(values[0]!)] : values.map(clean);
  const text = plot(vs, {height, min: 0, max, offset: 2, format: () => 'X', symbols: SYMBOLS[style]});
  // Each row is the one-character label, the axis, then one column per step between values.
  return text.split('\n').map((row) => row.slice(2, 2 + width).padEnd(width));
}

/** Rows that carry a label: every row on short charts, else every other row counted from the bottom. */
const labelled = (r: number, height: number) => height <= 6 || (height - r) % 2 === 0;

const NICE = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** The smallest "nice" number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) at or above `x`. */
export function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  return (NICE.find((m) => m * p >= x * (1 - 1e-9)) ?? 10) * p;
}

/** Top of the scale: the data's highest value rounded up so that the labelled rows read as round numbers. */
export function chartMax(series: readonly PlotSeries[], height: number): number {
  let max = 0;
  for (const s of series) for (const v of s.values) max = Math.max(max, clean(v));
  const per = height <= 6 ? 1 : 2;
  const h = Math.max(1, height);
  return (niceStep(((max > 0 ? max : 1) * per) / h) / per) * h;
}

/** The chart's lines: left labels, axis, the merged plot area and optional right labels. */
export function renderChart(spec: ChartSpec): Seg[][] {
  const {height, plotWidth, labelWidth} = spec;
  const max = chartMax(spec.series, height);
  const drawn = spec.series.filter((s) => s.values.length > 0);
  const grids = drawn.map((s) => grid(s.values, s.style, height, max, plotWidth));
  const lines: Seg[][] = [];
  for (let r = 0; r <= height; r++) {
    const value = (max * (height - r)) / height;
    const withLabel = labelled(r, height);
    const line: Seg[] = [
      {text: withLabel ? padStart(spec.leftLabel(value), labelWidth) : ' '.repeat(labelWidth), dim: true},
      {text: r === height ? '┼' : '┤', dim: true},
    ];
    let run = '';
    let runOwner = -1;
    const flush = () => {
      if (run) line.push(runOwner < 0 ? {text: run} : {text: run, color: drawn[runOwner]!.color});
      run = '';
    };
    for (let c = 0; c < plotWidth; c++) {
      let owner = -1;
      let ch = ' ';
      for (let s = 0; s < grids.length; s++) {
        const g = grids[s]![r]?.[c];
        if (g !== undefined && g !== ' ') {
          owner = s;
          ch = g;
          break;
        }
      }
      if (owner !== runOwner) flush();
      runOwner = owner;
      run += ch;
    }
    flush();
    if (spec.rightLabel && spec.rightWidth) {
      line.push({text: withLabel ? padStart(spec.rightLabel(value), spec.rightWidth) : ' '.repeat(spec.rightWidth), dim: true});
    }
    lines.push(line);
  }
  return lines;
}

/** A time axis under the plot: the first, middle and last visible times as mm:ss. */
export function timeAxis(labels: readonly string[], labelWidth: number, plotWidth: number): Seg[] {
  const cells = Array.from({length: plotWidth}, () => ' ');
  const n = labels.length;
  const put = (col: number, text: string) => {
    const start = Math.max(0, Math.min(plotWidth - text.length, col));
    for (let i = 0; i < text.length; i++) cells[start + i] = text[i]!;
  };
  if (n > 0) {
    const last = Math.min(plotWidth, n - 1);
    put(last - labels[n - 1]!.length + 1, labels[n - 1]!);
    if (last >= 14) put(0, labels[0]!);
    if (last >= 30) {
      const mid = Math.floor((n - 1) / 2);
      put(mid - 2, labels[mid]!);
    }
  }
  return [{text: ' '.repeat(labelWidth + 1) + cells.join(''), dim: true}];
}
