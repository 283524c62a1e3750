// The HTML report's stylesheet: plain CSS, no web fonts (the file must open with no network).
export const STYLE = `
:root {
  --ink: #1d2330; --muted: #5d6677; --line: #e3e6ec; --bg: #f6f7f9; --card: #fff;
  --good: #1f8a4c; --bad: #c62f2f; --warn: #b86e00; --accent: #2b6cd4;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif;
  font-size: 14px; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 24px 48px; }
header.top { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 16px; margin-bottom: 4px; }
h1 { font-size: 22px; margin: 0; }
h1 .brand { color: var(--accent); font-weight: 800; letter-spacing: -0.5px; }
h2 { font-size: 16px; margin: 0 0 12px; }
h3 { font-size: 14px; margin: 16px 0 8px; color: var(--muted); }
.sub { color: var(--muted); }
.sub code { color: var(--ink); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; vertical-align: middle; }
.badge.pass { background: #dff3e6; color: var(--good); }
.badge.fail { background: #fbe2e2; color: var(--bad); }
.badge.warn { background: #fdf0d8; color: var(--warn); }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin-top: 16px; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 10px; margin-top: 16px; }
.figure { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.figure .value { font-size: 20px; font-weight: 700; font-variant-numeric: tabular-nums; }
.figure .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.4px; }
.figure.bad .value { color: var(--bad); }
.verdict { border-left: 4px solid var(--accent); }
.verdict.broken { border-left-color: var(--bad); }
.verdict.fine { border-left-color: var(--good); }
.verdict dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; margin: 0; }
.verdict dt { font-weight: 600; }
.verdict dd { margin: 0; }
.verdict .rules { margin-top: 10px; color: var(--muted); font-size: 12px; }
.chart { min-height: 120px; margin-top: 4px; }
.chart-row { display: grid; grid-template-columns: 1fr; gap: 8px; }
.chart-head { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
.chart-head h2 { margin: 0; }
.chart-head select { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 6px; background: #fff; max-width: 100%; }
.note { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
.empty { color: var(--muted); padding: 24px 0; text-align: center; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: #fafbfc; position: sticky; top: 0; }
th:first-child, td:first-child, td.l, th.l { text-align: left; }
td.wrap { white-space: normal; word-break: break-word; text-align: left; }
tbody tr:hover { background: #f3f6fb; }
tr.hl-knee td { background: #fff7e6; }
tr.hl-broken td { background: #fdeaea; }
tr.total td { font-weight: 700; border-top: 2px solid var(--line); }
.table-wrap { overflow-x: auto; }
td.bad { color: var(--bad); font-weight: 600; }
.kind { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
.events { max-height: 420px; overflow-y: auto; }
.ev-failure td:nth-child(2) { color: var(--bad); }
.ev-warning td:nth-child(2) { color: var(--warn); }
.ev-users td:nth-child(2) { color: var(--accent); }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; text-align: center; }
.uplot { width: 100%; }
.u-legend { font-size: 12px; }
.u-title { font-size: 13px; font-weight: 600; color: var(--muted); }
@media print {
  body { background: #fff; }
  section.card, .figure { break-inside: avoid; }
  .chart-head select { display: none; }
}
`;
