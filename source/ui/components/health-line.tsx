import type {ConnectionFigures, GeneratorHealth} from '../../engine/run-state.js';
import {fmtCompact, fmtMs, fmtRateShort} from '../format.js';
import {fitSegs, joinFitting, segsWidth, type Seg} from '../seg.js';
import {notReused, SLOW_CONNECT_MS} from '../../engine/connections.js';
import SegLine from './seg-line.js';

type Props = {
  readonly health: GeneratorHealth;
  readonly connections: ConnectionFigures;
  /** --http2: the protocols the responses came over (`h2`), said next to the connections. */
  readonly protocol?: string;
  /** Requests a second now, and users: connections opening at about that pace, many more than users ever ran, are not being reused. */
  readonly rps: number;
  readonly users: number;
  readonly warnings: readonly string[];
  readonly width: number;
  readonly color: boolean;
};

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The saturation warning, as long as the width allows: it must be read, so it is never cut mid-word. */
export function saturationText(elu: number, width: number): string {
  const variants = [
    `! brink is saturated (event loop ${pct(elu)}): figures describe brink, not the target — add --workers or use a bigger box`,
    `! brink is saturated (event loop ${pct(elu)}): figures describe brink, not the target — add --workers`,
    `! brink saturated (event loop ${pct(elu)}): figures describe brink, not the target`,
    `! brink saturated (${pct(elu)}): figures describe brink`,
  ];
  return variants.find((v) => v.length + 1 <= width) ?? variants[variants.length - 1]!;
}

/** Whether brink itself keeps up: workers' event-loop use, brink's CPU, and a plain warning when it doesn't. */
export default function HealthLine({health, connections, protocol, rps, users, warnings, width, color}: Props) {
  const cpu: Seg[] = [{text: 'cpu ', dim: true}, {text: `${health.cpuCores.toFixed(1)} of ${fmtCompact(health.cores)} cores`}];
  if (health.saturated) {
    const warn: Seg[] = [{text: ' '}, {text: saturationText(health.maxElu, width), color: 'red', bold: true}];
    const segs = segsWidth(warn) + segsWidth(cpu) + 3 <= width ? [...warn, {text: '   '}, ...cpu] : warn;
    return <SegLine segs={fitSegs(segs, width)} color={color} />;
  }
  const workers = health.workers.length;
  // A run on agents (--agents): each "worker" is an agent, its rows below this line.
  const unit = health.workers.some((w) => w.agent) ? 'agent' : 'worker';
  const groups: Seg[][] = [
    [
      {text: ' gen ', dim: true},
      {text: `event loop ${pct(health.maxElu)}`},
      {text: workers > 1 ? ` (busiest of ${workers} ${unit}s)` : workers === 1 ? ` (1 ${unit})` : '', dim: true},
    ],
    cpu,
    health.maxElu >= 0.8 ? [{text: 'busy', color: 'yellow'}] : [{text: 'ok', color: 'green'}],
  ];
  if (connections.opened > 0) {
    const churn = rps >= 10 && notReused(connections.perSecond, rps, connections.opened, users);
    groups.push([
      {text: 'conns ', dim: true},
      {text: fmtCompact(connections.opened)},
      ...(protocol ? [{text: ` ${protocol}`}] : []),
      {text: ` +${fmtRateShort(connections.perSecond)}/s`, ...(churn ? {color: 'yellow' as const} : {dim: true})},
      {text: ' connect p99 ', dim: true},
      {text: fmtMs(connections.connectMs.p99), ...(connections.connectMs.max >= SLOW_CONNECT_MS ? {color: 'yellow' as const} : {})},
    ]);
  }
  const {sockets} = connections;
  if (sockets) {
    groups.push([
      {text: 'sockets ', dim: true},
      {text: `${fmtCompact(sockets.open)} open`},
      {text: ` (peak ${fmtCompact(sockets.peak)})`, dim: true},
    ]);
  }
  // A warning, when there is one, takes the room before the connections do.
  const last = warnings[warnings.length - 1];
  const segs = joinFitting(last ? groups.slice(0, 3) : groups, width, '  ·  ');
  const room = width - segsWidth(segs) - 5;
  if (last && room >= 12) segs.push({text: '  ·  '}, ...fitSegs([{text: `! ${last}`, color: 'yellow'}], room));
  return <SegLine segs={fitSegs(segs, width)} color={color} />;
}
