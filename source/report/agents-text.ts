// A run on brink agents (--agents): a line per agent under the summary's figures, as the JSON's `agents` has them.
import type {AgentSummary} from './summary.js';

export function agentLines(agents: ReadonlyArray<AgentSummary> | undefined): string[] {
  if (!agents || agents.length === 0) return [];
  const n = (x: number) => x.toLocaleString('en-US');
  const width = Math.max(...agents.map((a) => a.name.length));
  return [
    '',
    `agents (${agents.length})`,
    ...agents.map(
      (a) =>
        `  ${a.name.padEnd(width)}  ${a.host}  ${n(a.users)} users  ${n(a.requests)} requests  ${n(a.failures)} failures${a.lost ? `  LOST (${a.lostWhy ?? 'stopped reporting'}; what it sent after its last report is not counted)` : ''}`,
    ),
  ];
}
