// A run on brink agents (--agents): a line per agent under the generator's, with its users, req/s, CPU and
// health (its busiest worker's event loop), or LOST once it stopped reporting.
import type {WorkerHealth} from '../../protocol/snapshot.js';
import {fmtCompact, fmtRateShort, padEnd} from '../format.js';
import {fitSegs, type Seg} from '../seg.js';
import SegLine from './seg-line.js';

/** Rows shown at most; the rest are summed up in the last. */
export const MAX_AGENT_ROWS = 8;

/** How many lines the agents take (0 for a run on this machine). */
export function agentLines(workers: ReadonlyArray<WorkerHealth>): number {
  const n = workers.filter((w) => w.agent).length;
  return Math.min(n, MAX_AGENT_ROWS);
}

export function agentSegs(h: WorkerHealth, nameWidth: number): Seg[] {
  const a = h.agent!;
  const head: Seg[] = [{text: ' '}, {text: padEnd(a.name, nameWidth), bold: true}, {text: ` ${a.host}`, dim: true}];
  if (a.lost)
    return [
      ...head,
      {text: '  '},
      {text: 'LOST', color: 'red', bold: true},
      {text: ` · ${fmtCompact(a.requests)} requests before`, dim: true},
    ];
  const busy =
    h.elu >= 0.9 ? {text: 'saturated', color: 'red'} : h.elu >= 0.8 ? {text: 'busy', color: 'yellow'} : {text: 'ok', color: 'green'};
  return [
    ...head,
    {text: '  users ', dim: true},
    {text: fmtCompact(h.users)},
    {text: '  req/s ', dim: true},
    {text: fmtRateShort(a.rps)},
    {text: '  cpu ', dim: true},
    {text: `${a.cpuCores.toFixed(1)}/${a.cores}`},
    {text: '  loop ', dim: true},
    {text: `${Math.round(h.elu * 100)}% `},
    busy,
  ];
}

type Props = {readonly workers: ReadonlyArray<WorkerHealth>; readonly width: number; readonly color: boolean};

export default function AgentRows({workers, width, color}: Props) {
  const agents = workers.filter((w) => w.agent);
  if (agents.length === 0) return null;
  const nameWidth = Math.min(16, Math.max(...agents.map((w) => w.agent!.name.length)));
  const shown = agents.length > MAX_AGENT_ROWS ? agents.slice(0, MAX_AGENT_ROWS - 1) : agents;
  const rest = agents.slice(shown.length);
  return (
    <>
      {shown.map((h) => (
        <SegLine key={h.workerId} segs={fitSegs(agentSegs(h, nameWidth), width)} color={color} />
      ))}
      {rest.length > 0 && (
        <SegLine
          segs={fitSegs(
            [
              {text: ` +${rest.length} more agents`, dim: true},
              {text: `  users ${fmtCompact(rest.reduce((n, h) => n + h.users, 0))}`},
              {text: `  lost ${rest.filter((h) => h.agent!.lost).length}`},
            ],
            width,
          )}
          color={color}
        />
      )}
    </>
  );
}
