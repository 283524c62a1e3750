// The pure pieces behind the panels: layout arithmetic, table columns, sparklines, charts.
import {describe, expect, test} from 'vitest';
import {breakdown, firstFailure, sortEndpoints} from '../../source/ui/derive.js';
import {chartPanelHeight, overviewLayout, plotHeightFor, tableWindow} from '../../source/ui/layout.js';
import {chartMax, niceStep, renderChart} from '../../source/ui/plot.js';
import {latencyChart, startRatePerUser, throughputChart, throughputNote} from '../../source/ui/charts.js';
import {sparkline} from '../../source/ui/sparkline.js';
import {trimTrailingBlanks} from '../../source/ui/seg.js';
import {tableLayout} from '../../source/ui/table.js';
import {makeRun, makeSeries} from './fixtures.js';
import type {SeriesPoint} from '../../source/engine/run-state.js';

const text = (segs: ReadonlyArray<{text: string}>) => segs.map((s) => s.text).join('');

describe('derive', () => {
  test('breakdown shares and order', () => {
    expect(breakdown({timeout: 11, http_503: 58, conn_reset: 6}).map((k) => [k.kind, Math.round(k.share * 100)])).toEqual([
      ['http_503', 77],
      ['timeout', 15],
      ['conn_reset', 8],
    ]);
  });

  test('sorts and the first failure', () => {
    const run = makeRun();
    expect(sortEndpoints(run.endpoints, 'traffic')[0]!.key).toBe('GET /');
    expect(
      sortEndpoints(run.endpoints, 'p95')
        .map((e) => e.key)
        .slice(0, 2),
    ).toEqual(['POST /api/orders', 'GET /api/reports/orders']);
    expect(
      sortEndpoints(run.endpoints, 'failures')
        .map((e) => e.key)
        .slice(0, 2),
    ).toEqual(['POST /api/orders', 'GET /products/:id']);
    expect(firstFailure(run.endpoints)).toEqual({endpoint: 'POST /api/orders', kind: 'http_503', atMs: 164_000, users: 60});
  });
});

describe('layout', () => {
  test('80×24 hides the charts but keeps table, breakdown and events', () => {
    const l = overviewLayout({columns: 80, rows: 24, endpoints: 5, failureLines: 4, events: 4, recovery: false});
    expect(l).toMatchObject({charts: 0, events: true});
    expect(l.table).toBe(8);
    expect(l.bottom).toBeGreaterThan(0);
    expect(l.table + l.bottom).toBeLessThanOrEqual(24 - 1 - 4);
  });

  test('120×40 shows everything within the screen', () => {
    const l = overviewLayout({columns: 120, rows: 40, endpoints: 5, failureLines: 4, events: 4, recovery: true});
    expect(l.charts).toBeGreaterThan(0);
    expect(l.bottom).toBeGreaterThan(0);
    expect(l.table + l.charts + l.bottom).toBeLessThanOrEqual(40 - 1 - 5);
  });

  test('the charts take the rows the other panels leave, so the screen has no blank band', () => {
    for (const rows of [40, 60]) {
      const body = rows - 1 - 4;
      const quiet = overviewLayout({columns: 120, rows, endpoints: 1, failureLines: 0, events: 0, recovery: false});
      expect(quiet.table + quiet.charts + quiet.bottom).toBe(body);
      expect([3, 4]).toContain(quiet.bottom); // its one line, and the row an odd plot height would leave blank
    }
    // The failures and events panels still get the lines they have content for first.
    const busy = overviewLayout({columns: 120, rows: 40, endpoints: 5, failureLines: 4, events: 9, recovery: false});
    expect([2 + 9, 2 + 9 + 1]).toContain(busy.bottom);
    expect(busy.table + busy.charts + busy.bottom).toBe(35);
  });

  test('no chart keeps a blank row: the row an odd plot height leaves goes to the panels below', () => {
    for (let rows = 26; rows <= 70; rows++) {
      for (const input of [
        {endpoints: 1, failureLines: 0, events: 0},
        {endpoints: 5, failureLines: 4, events: 9},
      ]) {
        const l = overviewLayout({columns: 120, rows, recovery: false, ...input});
        if (l.charts === 0) continue;
        expect(plotHeightFor(l.charts), `${rows} rows`).toBe(l.charts - chartPanelHeight(0));
        expect(l.table + l.charts + l.bottom, `${rows} rows`).toBe(rows - 1 - 4);
      }
    }
  });

  test('short screens drop the charts first, then the bottom panels', () => {
    const l = overviewLayout({columns: 120, rows: 18, endpoints: 30, failureLines: 4, events: 10, recovery: false});
    expect(l.charts).toBe(0);
    const tiny = overviewLayout({columns: 120, rows: 12, endpoints: 30, failureLines: 4, events: 10, recovery: false});
    expect(tiny.bottom).toBe(0);
  });

  test('the table window follows the selection', () => {
    expect(tableWindow(8, 30, -1)).toEqual({start: 0, count: 4});
    expect(tableWindow(8, 30, 10)).toEqual({start: 7, count: 4});
    expect(tableWindow(8, 5, 4)).toEqual({start: 0, count: 5});
  });

  test('table columns fit the width; the least telling go first', () => {
    for (const width of [40, 58, 78, 98, 118, 178]) {
      const l = tableLayout(width, 23);
      const used = 1 + l.nameWidth + l.columns.reduce((n, c) => n + c.width + 1, 0) + (l.trendWidth > 0 ? 2 + l.trendWidth : 0);
      expect(used).toBeLessThanOrEqual(width);
    }
    expect(tableLayout(118, 23).columns.map((c) => c.id)).toContain('max');
    expect(tableLayout(78, 23).columns.map((c) => c.id)).not.toContain('max');
    expect(tableLayout(78, 23).columns.map((c) => c.id)).toContain('p95');
  });
});

describe('sparkline and charts', () => {
  test('sparkline: climbs fill the height, gaps stay blank, only the last width values', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, 4, 8], 3)).toBe(' ▁█');
    expect(sparkline([100, 101, 99, 100], 4)).toMatch(/^[▇█]+$/);
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4)).toHaveLength(4);
  });

  test('chart scale tops at a round number', () => {
    expect(niceStep(57)).toBe(60);
    expect(niceStep(175)).toBe(200);
    expect(chartMax([{values: [456], style: 'light'}], 16)).toBe(480);
  });

  test('overlaid series keep their own line styles', () => {
    const lines = renderChart({
      series: [
        {values: [10, 10, 10, 10], style: 'heavy'},
        {values: [2, 2, 2, 2], style: 'dotted'},
      ],
      height: 4,
      plotWidth: 3,
      leftLabel: (v) => String(Math.round(v)),
      labelWidth: 3,
    });
    expect(lines).toHaveLength(5);
    expect(lines.map(text)).toEqual([' 10┤━━━', '  8┤   ', '  5┤   ', '  3┤┄┄┄', '  0┼   ']);
  });

  test('a chart of any panel height has a label on its top row', () => {
    for (let panel = chartPanelHeight(4); panel <= chartPanelHeight(25); panel++) {
      const c = throughputChart(makeSeries(30), 60, plotHeightFor(panel));
      expect(c.lines.length + 1).toBeLessThanOrEqual(panel - 2); // plot and axis, the note, inside the borders
      expect(text(c.lines[0]!)).toMatch(/^ *\d[\d.,]*k?┤/);
    }
  });

  test('a tall latency chart labels rows half a millisecond apart as such, no two alike', () => {
    const points = Array.from({length: 20}, (_, i) => ({t: i + 1, p50: 0.3, p95: 1 + (i % 5), p99: 5.4}));
    const c = latencyChart(points, 'all traffic', 60, 22);
    const labels = c.lines
      .slice(0, -1)
      .map((l) => text(l).split('┤')[0]!.split('┼')[0]!.trim())
      .filter(Boolean);
    expect(labels).toEqual(['5.5ms', '5ms', '4.5ms', '4ms', '3.5ms', '3ms', '2.5ms', '2ms', '1.5ms', '1ms', '0.5ms', '0ms']);
  });

  test('only the last points that fit are plotted', () => {
    const c = throughputChart(makeSeries(190), 40, 4);
    const axis = text(c.lines[c.lines.length - 1]!);
    expect(axis.trimEnd().endsWith('03:10')).toBe(true);
    for (const l of c.lines) expect(text(l).length).toBeLessThanOrEqual(40);
  });

  test('throughput that does not follow the users is called out', () => {
    const flat: SeriesPoint[] = makeSeries(60).map((p, i) => ({...p, t: i + 1, users: 10 + i, rps: 400}));
    const note = throughputNote(flat, startRatePerUser(flat));
    expect(note.map(text).join(' · ')).toContain('throughput flat');
    const linear: SeriesPoint[] = makeSeries(60).map((p, i) => ({...p, t: i + 1, users: 10 + i, rps: (10 + i) * 8}));
    expect(throughputNote(linear, startRatePerUser(linear)).map(text).join(' · ')).not.toContain('throughput flat');
  });
});

describe('latency points', () => {
  test('intervals without requests repeat the last figures instead of dropping to zero', async () => {
    const {latencyPoints} = await import('../../source/ui/derive.js');
    const run = makeRun();
    const e = run.endpoints[0]!;
    const history = [
      {rps: 0, failRate: 0, p50: 0, p95: 0, p99: 0},
      {rps: 2, failRate: 0, p50: 10, p95: 50, p99: 60},
      {rps: 0, failRate: 0, p50: 0, p95: 0, p99: 0},
      {rps: 3, failRate: 0, p50: 12, p95: 70, p99: 90},
    ];
    const points = latencyPoints(run, {...e, history});
    expect(points.map((p) => p.p95)).toEqual([50, 50, 50, 70]);
    expect(points.map((p) => p.t)).toEqual([187, 188, 189, 190]);
  });
});

describe('trimTrailingBlanks', () => {
  test('drops blank segments and trailing spaces at the end of a line, but never an inverted (visible) blank', () => {
    expect(trimTrailingBlanks([{text: 'a  '}, {text: '   ', dim: true}])).toEqual([{text: 'a'}]);
    expect(
      trimTrailingBlanks([
        {text: 'GET /x', bold: true},
        {text: '  ▁▂█  ', color: 'cyan'},
      ]),
    ).toEqual([
      {text: 'GET /x', bold: true},
      {text: '  ▁▂█', color: 'cyan'},
    ]);
    const selected = [{text: 'GET /x   ', inverse: true}];
    expect(trimTrailingBlanks(selected)).toBe(selected);
    expect(trimTrailingBlanks([{text: 'a'}, {text: '    ', inverse: true}, {text: '  '}])).toEqual([
      {text: 'a'},
      {text: '    ', inverse: true},
    ]);
    // A blank line keeps one blank, so that it still takes its line.
    expect(trimTrailingBlanks([{text: '   '}])).toEqual([{text: ' '}]);
    expect(trimTrailingBlanks([])).toEqual([]);
  });
});
