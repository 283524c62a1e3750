import {Box} from 'ink';
import type {LatencyBucket} from '../../kernel/histogram.js';
import {fmtCompact, fmtMs, fmtShare, padEnd, padStart} from '../format.js';
import {fitSegs, type Seg} from '../seg.js';
import Lines from './lines.js';
import Panel from './panel.js';

type Props = {
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly buckets: ReadonlyArray<LatencyBucket>;
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
};

const BAR = '■';

/** One bar's length in `width` columns for `n` of `top`: at least one column for anything above zero. */
const bar = (n: number, top: number, width: number) => (n === 0 ? '' : BAR.repeat(Math.max(1, Math.round((n / Math.max(1, top)) * width))));

/** Status codes, most frequent first: code, responses, share and a bar, as oha shows them. */
export function statusLines(codes: Readonly<Record<string, number>>, inner: number, room: number): Seg[][] {
  const rows = Object.entries(codes).sort((a, b) => b[1] - a[1]);
  if (rows.length === 0) return [[{text: ' no response yet', dim: true}]];
  const total = rows.reduce((n, [, c]) => n + c, 0);
  const top = rows[0][1];
  const barWidth = Math.max(0, inner - 1 - 5 - 8 - 6 - 1);
  return rows.slice(0, room).map(([code, n]): Seg[] => {
    const colour = code.startsWith('2') ? 'green' : code.startsWith('3') ? 'cyan' : code.startsWith('4') ? 'yellow' : 'red';
    return [
      {text: ` ${padEnd(`[${code}]`, 5)}`, color: colour, bold: true},
      {text: padStart(fmtCompact(n), 8)},
      {text: padStart(fmtShare(n / total), 6)},
      {text: ' '},
      {text: bar(n, top, barWidth), color: colour},
    ];
  });
}

/** The response-time histogram: equal-width bars from fastest to slowest, as hey and oha draw it. */
export function histogramLines(buckets: ReadonlyArray<LatencyBucket>, inner: number, room: number): Seg[][] {
  if (buckets.length === 0) return [[{text: ' no response yet', dim: true}]];
  // Fewer rows than bars: neighbouring bars are added together.
  const per = Math.ceil(buckets.length / Math.max(1, room));
  const rows: LatencyBucket[] = [];
  for (let i = 0; i < buckets.length; i += per) {
    const group = buckets.slice(i, i + per);
    rows.push({upToMs: group[group.length - 1].upToMs, count: group.reduce((n, b) => n + b.count, 0)});
  }
  const top = Math.max(...rows.map((b) => b.count));
  const barWidth = Math.max(0, inner - 1 - 8 - 9 - 2);
  return rows.map((b): Seg[] => [
    {text: ` ${padStart(`≤${fmtMs(b.upToMs)}`, 8)}`, dim: true},
    {text: padStart(`${fmtCompact(b.count)}`, 9)},
    {text: ' |'},
    {text: bar(b.count, top, barWidth), color: 'cyan'},
  ]);
}

/** Quick mode's own panels: status codes and the latency histogram, side by side. */
export default function QuickPanels({statusCodes, buckets, width, height, color}: Props) {
  const left = Math.floor(width * 0.4);
  const right = width - left;
  const room = Math.max(1, height - 2);
  return (
    <Box flexDirection="row">
      <Panel title={[{text: 'status codes', bold: true}]} width={left} height={height} color={color}>
        <Lines lines={statusLines(statusCodes, left - 2, room).map((l) => fitSegs(l, left - 2))} color={color} />
      </Panel>
      <Panel title={[{text: 'response time histogram', bold: true}]} width={right} height={height} color={color}>
        <Lines lines={histogramLines(buckets, right - 2, room).map((l) => fitSegs(l, right - 2))} color={color} />
      </Panel>
    </Box>
  );
}
