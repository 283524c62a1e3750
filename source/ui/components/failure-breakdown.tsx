import type {ScriptErrorState} from '../../engine/run-state.js';
import type {FirstFailure, KindShare} from '../derive.js';
import {fmtClock, fmtCompact, fmtShare, padEnd, padStart, textWidth} from '../format.js';
import {fitSegs, type Seg} from '../seg.js';
import Lines from './lines.js';
import Panel from './panel.js';

type Props = {
  readonly overall: readonly KindShare[];
  /** The selected endpoint's own kinds, shown under the overall ones when there is room. */
  readonly endpoint?: {readonly label: string; readonly kinds: readonly KindShare[]} | undefined;
  readonly first?: FirstFailure | undefined;
  /** Failures and requests over the run, for the title. */
  readonly failures: number;
  readonly requests: number;
  /** Exceptions in the scenario's tasks: their own rows, apart from the requests' failures. */
  readonly scriptErrors?: {readonly count: number; readonly top: ReadonlyArray<ScriptErrorState>};
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
};

const BAR = '█';

function kindLines(kinds: readonly KindShare[], kindWidth: number, inner: number, max: number): Seg[][] {
  const barWidth = Math.max(0, inner - 1 - kindWidth - 7 - 5 - 1);
  const shown = kinds.length > max ? kinds.slice(0, Math.max(0, max - 1)) : kinds;
  const lines = shown.map((k): Seg[] => [
    {text: ` ${padEnd(k.kind, kindWidth)}`},
    {text: padStart(fmtCompact(k.count), 7), bold: true},
    {text: padStart(fmtShare(k.share), 5)},
    {text: ' '},
    {text: BAR.repeat(Math.max(k.count > 0 ? 1 : 0, Math.round(k.share * barWidth))), color: 'red'},
  ]);
  if (shown.length < kinds.length) lines.push([{text: ` +${kinds.length - shown.length} more kinds`, dim: true}]);
  return lines;
}

export function firstFailureText(f: FirstFailure, inner: number): string {
  const body = `${f.endpoint} ${f.kind} @ ${fmtCompact(f.users)} users ${fmtClock(f.atMs)}`;
  return ` first failure: ${body}`.length <= inner ? ` first failure: ${body}` : ` first: ${body}`;
}

/** Failures by kind (count, share, bar), overall and for the selected endpoint, and the run's first failure. */
/** `script errors 12`, then a line per place: `  9 × checkout shop.ts:31 TypeError: …`. */
export function scriptErrorLines(errors: NonNullable<Props['scriptErrors']>, max: number): Seg[][] {
  if (errors.count === 0 || max <= 0) return [];
  const lines: Seg[][] = [
    [
      {text: ' script errors ', color: 'magenta', bold: true},
      {text: fmtCompact(errors.count), bold: true},
      {text: ' (not requests)', dim: true},
    ],
  ];
  for (const e of errors.top.slice(0, max - 1)) {
    lines.push([
      {text: ` ${padStart(fmtCompact(e.count), 6)} × `},
      {text: `${e.task}${e.where ? ` ${e.where}` : ''} `, color: 'magenta'},
      {text: e.message, dim: true},
    ]);
  }
  return lines;
}

export default function FailureBreakdown({overall, endpoint, first, failures, requests, scriptErrors, width, height, color}: Props) {
  const inner = width - 2;
  const room = height - 2;
  const title: Seg[] = [
    {text: 'failures', bold: true},
    {text: failures > 0 ? ` · ${fmtCompact(failures)} of ${fmtCompact(requests)}` : '', dim: true},
  ];
  let lines: Seg[][];
  const scripted = scriptErrors && scriptErrors.count > 0 ? Math.min(3, room - 1) : 0;
  if (overall.length === 0) {
    lines = [[{text: scripted > 0 ? ' no request failed' : ' no failures', color: 'green'}]];
  } else {
    const reserve = (first ? 1 : 0) + scripted;
    const all = [...overall, ...(endpoint?.kinds ?? [])];
    const kindWidth = Math.min(16, Math.max(8, ...all.map((k) => textWidth(k.kind))));
    lines = kindLines(overall, kindWidth, inner, Math.max(1, room - reserve));
    const left = room - reserve - lines.length;
    if (endpoint && endpoint.kinds.length > 0 && left >= 2) {
      lines.push([{text: ` ${endpoint.label}`, bold: true, color: 'cyan'}]);
      lines.push(...kindLines(endpoint.kinds, kindWidth, inner, left - 1));
    }
    if (first) lines.push([{text: firstFailureText(first, inner), color: 'yellow'}]);
  }
  if (scripted > 0) lines.push(...scriptErrorLines(scriptErrors!, Math.min(scripted, room - lines.length)));
  return (
    <Panel title={title} width={width} height={height} color={color}>
      <Lines lines={lines.slice(0, room).map((l) => fitSegs(l, inner))} color={color} />
    </Panel>
  );
}
