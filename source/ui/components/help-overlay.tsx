import {fitSegs, type Seg} from '../seg.js';
import Lines from './lines.js';
import Panel from './panel.js';
import {STEPS} from '../../plan/commands.js';

type Props = {
  readonly step: number;
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
};

const key = (k: string, what: string): Seg[] => [{text: ` ${k.padEnd(10)}`, bold: true, color: 'cyan'}, {text: what}];
const head = (text: string): Seg[] => [{text: ` ${text}`, bold: true}];
const para = (text: string): Seg[] => [{text: `   ${text}`, dim: true}];
const blank: Seg[] = [{text: ' '}];

/** The full help, or (when `compact`) one that fits 16 lines at 80×24. */
export function helpLines(step: number, compact = false): Seg[][] {
  if (compact) {
    return [
      ...helpLines(step).slice(0, 8),
      head('how keys change the plan'),
      para('+ − p: manual until n hands back to the plan; b: baseline, recovery timed.'),
      ...helpLines(step).slice(15, 21),
    ];
  }
  return [
    head('steer the run'),
    key('+ =', `add users (+${step} now)`),
    key('- _', `remove users (−${step} now)`),
    key('] [', `step size up / down the ladder ${STEPS.join(' ')}`),
    key('p', 'hold: stay at the current users'),
    key('n', 'next: hand control back to the plan, at its next stage'),
    key('b', 'baseline: drop to the baseline users and time the recovery'),
    key('q ctrl-c', 'stop the run and print the summary'),
    blank,
    head('how keys change the plan'),
    para('A manual change (+ − p) takes over from the plan: the users stay where you put them'),
    para('(the header says "manual") until n hands control back at the plan\'s next stage.'),
    para('b drops to the baseline users and times how long p95 and failures take to get back'),
    para('to the baseline: "recovering…", then "recovered in 14s" or "not recovered".'),
    blank,
    head('look around'),
    key('↑ ↓', 'select an endpoint: the latency chart, breakdown and detail follow it; esc = all'),
    key('s', 'sort the table: traffic → p95 → failures'),
    key('tab', 'views: overview → charts → endpoint detail'),
    key('f', 'freeze the screen to read or copy it (the run goes on); f again follows it'),
    key('? esc', 'close this help'),
    blank,
    para('Table latencies are over the whole run; req/s, the header and the trends are the last interval.'),
    para('Throughput chart: ┄ is users × the req/s each user made at the start. While the target keeps'),
    para('up the lines run together; the gap that opens below ┄ is throughput lost to the slowdown.'),
    para('If brink is saturated (its event loop near 100 %), the figures describe brink, not the target.'),
    para('conns: connections opened (+ a second now) and their connect p99. Latencies start once a'),
    para('connection is up; as many new ones a second as requests: connections are not being reused.'),
    para('sockets: WebSockets and event streams the users hold open now (peak: the most at once).'),
  ];
}

/** Keys and how they act on the plan; replaces the body while open. */
export default function HelpOverlay({step, width, height, color}: Props) {
  const full = helpLines(step);
  const lines = (full.length + 2 <= height ? full : helpLines(step, true))
    .slice(0, Math.max(0, height - 2))
    .map((l) => fitSegs(l, width - 2));
  return (
    <Panel
      title={[
        {text: 'help', bold: true},
        {text: ' · ? or esc to close', dim: true},
      ]}
      width={width}
      height={height}
      color={color}
    >
      <Lines lines={lines} color={color} />
    </Panel>
  );
}
