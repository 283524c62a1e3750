import type {DetailData} from '../derive.js';
import {fmtClock, fmtCompact, fmtMs, fmtPct, fmtRate, fmtShare, padEnd, padStart} from '../format.js';
import {fitSegs, segsWidth, type Seg} from '../seg.js';
import Lines from './lines.js';
import Panel from './panel.js';

type Props = {
  readonly data: DetailData;
  /** e.g. "2 of 5", or "" for all traffic. */
  readonly position: string;
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
};

const row = (name: string, now: string, run: string, extra = ''): Seg[] => [
  {text: ` ${padEnd(name, 7)}`, dim: true},
  {text: padStart(now, 8), bold: true},
  {text: padStart(run, 9)},
  {text: extra ? `  ${extra}` : '', dim: true},
];

export function figureLines(d: DetailData): Seg[][] {
  const runFail = d.requests > 0 ? d.failures / d.requests : 0;
  const codes = Object.entries(d.statusCodes).sort((a, b) => b[1] - a[1]);
  return [
    [{text: ` ${padEnd('', 7)}${padStart('now', 8)}${padStart('run', 9)}`, dim: true}],
    row('req/s', fmtRate(d.now.rps), fmtRate(d.runRps), `${fmtCompact(d.requests)} requests`),
    row('fail', fmtPct(d.now.failRate), fmtPct(runFail), `${fmtCompact(d.failures)} failed`),
    row('p50', fmtMs(d.now.p50), fmtMs(d.latencyMs.p50)),
    row('p95', fmtMs(d.now.p95), fmtMs(d.latencyMs.p95)),
    row('p99', fmtMs(d.now.p99), fmtMs(d.latencyMs.p99)),
    row('max', '', fmtMs(d.latencyMs.max), `mean ${fmtMs(d.latencyMs.mean)}`),
    [
      {text: ` ${padEnd('status', 7)} `, dim: true},
      {text: codes.length > 0 ? codes.map(([c, n]) => `${c === '0' ? 'none' : c} ×${fmtCompact(n)}`).join('  ') : '–'},
    ],
  ];
}

export function failureLines(d: DetailData): Seg[][] {
  if (d.kinds.length === 0) return [[{text: ' no failures', color: 'green'}]];
  const lines: Seg[][] = d.kinds.map((k) => {
    const first = d.firstFailures[k.kind];
    return [
      {text: ` ${padEnd(k.kind, 14)}`},
      {text: padStart(fmtCompact(k.count), 7), bold: true},
      {text: padStart(fmtShare(k.share), 5)},
      {text: first ? `  first @ ${fmtCompact(first.users)} users ${fmtClock(first.atMs)}` : '', dim: true},
    ];
  });
  if (d.errors.length > 0) lines.push([{text: ' errors seen', dim: true}]);
  for (const e of [...d.errors].sort((a, b) => b.count - a.count)) {
    lines.push([{text: ` ${padEnd(e.kind, 14)}`, color: 'red'}, {text: ` ×${fmtCompact(e.count)} `, bold: true}, {text: e.message}]);
  }
  return lines;
}

/** One endpoint (or all traffic) in full: now vs the run, status codes, failures with when they started, error samples. */
export default function EndpointDetail({data, position, width, height, color}: Props) {
  const inner = width - 2;
  const room = height - 2;
  const figures = figureLines(data);
  const failures = failureLines(data);
  const title: Seg[] = [
    {text: data.label, bold: true},
    {text: position ? ` · ${position} · ↑↓ to change` : ' · ↓ to pick an endpoint', dim: true},
  ];
  // Side by side when wide, else the failures under the figures.
  const sideBySide = inner >= 100;
  const lines: Seg[][] = [];
  if (sideBySide) {
    const left = 48;
    for (let i = 0; i < Math.max(figures.length, failures.length); i++) {
      const l = fitSegs(figures[i] ?? [], left);
      const pad = left - segsWidth(l);
      lines.push([...l, {text: ' '.repeat(pad)}, ...(failures[i] ?? [])]);
    }
  } else {
    lines.push(...figures, [{text: ' failures', bold: true}], ...failures);
  }
  return (
    <Panel title={title} width={width} height={height} color={color}>
      <Lines lines={lines.slice(0, room).map((l) => fitSegs(l.length > 0 ? l : [{text: ' '}], inner))} color={color} />
    </Panel>
  );
}
