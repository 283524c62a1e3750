// Which panels fit, and how tall each is, from the terminal size and how much there is to show.
// When space runs out, panels are hidden whole (charts first, then events, then the failure
// breakdown) rather than squeezed until their lines wrap.

/** Header (2) + generator health (1) + footer (1). */
export const CHROME_LINES = 4;
/** A chart panel: borders (2) + time axis (1) + note (1) + the plot's height + 1. */
export const chartPanelHeight = (plotHeight: number) => plotHeight + 5;
/**
 * The plot's height in a chart panel `panelHeight` tall. Above 6 rows every other row is labelled, counting
 * from 0 at the bottom: an even height puts a label on the top row too (its odd row is left blank instead).
 */
export function plotHeightFor(panelHeight: number): number {
  const h = Math.max(2, panelHeight - chartPanelHeight(0));
  return h > 6 ? h - (h % 2) : h;
}
/** Below this width the two charts are not put side by side in the overview. */
export const CHARTS_MIN_COLUMNS = 100;
/** Below this width the event log gives its place to the failure breakdown. */
export const EVENTS_MIN_COLUMNS = 70;

export interface OverviewInput {
  readonly columns: number;
  readonly rows: number;
  readonly endpoints: number;
  /** Lines the failure breakdown would like (kinds, first failure, the selected endpoint's kinds). */
  readonly failureLines: number;
  readonly events: number;
  readonly recovery: boolean | number;
  /** Quick mode: room for its status-code and latency-histogram panels. */
  readonly quick?: boolean;
}

export interface OverviewLayout {
  /** Endpoint table panel height, borders included. */
  readonly table: number;
  /** Chart panels' height (side by side), or 0 when hidden. */
  readonly charts: number;
  /** Failures + events panels' height, or 0 when hidden. */
  readonly bottom: number;
  readonly events: boolean;
  /** Quick mode's status-code and histogram panels' height, or 0 when hidden. */
  readonly quick: number;
}

/** Table panel height for `visible` of `total` rows: borders, heading, rows and a "+N more" line. */
export const tableHeight = (visible: number, total: number) => 3 + visible + (visible < total ? 1 : 0);

/** `extra`: status lines shown under the header (recovery, thresholds); true counts as one. */
export function bodyLines(rows: number, extra: boolean | number): number {
  // One line short of the screen: a frame as tall as the terminal makes Ink clear the screen each time.
  return Math.max(0, rows - 1 - CHROME_LINES - (typeof extra === 'number' ? extra : extra ? 1 : 0));
}

export function overviewLayout(input: OverviewInput): OverviewLayout {
  let avail = bodyLines(input.rows, input.recovery);
  const n = Math.max(1, input.endpoints);
  const tableFull = tableHeight(n, n);
  const tableMin = n <= 3 ? tableFull : tableHeight(3, n);
  let table = Math.min(tableMin, Math.max(tableHeight(1, n), avail));
  avail -= table;

  const bottomContent = Math.max(1, input.failureLines, Math.min(input.events, 12));
  const bottomMin = 2 + Math.min(bottomContent, 4);
  let bottom = avail >= bottomMin ? bottomMin : 0;
  avail -= bottom;

  // Quick mode's histogram (11 bars) and status codes come before the charts: they are what hey and oha show.
  const quickMin = 6;
  let quick = input.quick && avail >= quickMin ? quickMin : 0;
  avail -= quick;

  const chartMin = chartPanelHeight(4);
  let charts = input.columns >= CHARTS_MIN_COLUMNS && avail >= chartMin ? chartMin : 0;
  avail -= charts;

  const grow = (current: number, cap: number) => {
    const by = Math.max(0, Math.min(avail, cap - current));
    avail -= by;
    return current + by;
  };
  table = grow(table, tableFull);
  if (quick > 0) quick = grow(quick, 2 + 11);
  if (charts > 0) charts = grow(charts, chartPanelHeight(10));
  if (bottom > 0) bottom = grow(bottom, 2 + bottomContent);
  // What is left goes to the charts (more rows, finer steps), not to blank lines under the panels.
  if (charts > 0) charts = grow(charts, Infinity);
  // An odd plot height would leave the charts' top row blank (plotHeightFor): the panels below take that row.
  if (charts > 0 && bottom > 0 && plotHeightFor(charts) < charts - chartPanelHeight(0)) {
    charts--;
    bottom++;
  }
  return {table, charts, bottom, events: bottom > 0 && input.columns >= EVENTS_MIN_COLUMNS, quick};
}

/** Visible table rows for a panel height, and the first one so that `selectedIndex` stays in view. */
export function tableWindow(height: number, total: number, selectedIndex: number): {start: number; count: number} {
  const fits = Math.max(0, height - 3);
  const count = fits >= total ? total : Math.max(1, fits - 1);
  const start = selectedIndex < 0 ? 0 : Math.max(0, Math.min(total - count, selectedIndex - count + 1));
  return {start: Math.min(start, Math.max(0, selectedIndex)), count};
}
