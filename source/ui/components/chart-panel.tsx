import type {ChartContent} from '../charts.js';
import {fitSegs} from '../seg.js';
import Lines from './lines.js';
import Panel from './panel.js';

type Props = {
  readonly content: ChartContent;
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
};

/** A chart in a titled box, its note on the last line. */
export default function ChartPanel({content, width, height, color}: Props) {
  const inner = width - 2;
  const room = height - 2;
  const plot = content.lines.slice(0, Math.max(0, room - 1)).map((l) => fitSegs(l, inner));
  const lines = content.note.length > 0 && plot.length < room ? [...plot, fitSegs(content.note, inner)] : plot;
  return (
    <Panel title={content.title} width={width} height={height} color={color}>
      <Lines lines={lines} color={color} />
    </Panel>
  );
}
