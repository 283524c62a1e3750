import {Box} from 'ink';
import type {Seg} from '../seg.js';
import SegLine from './seg-line.js';

type Props = {
  readonly lines: ReadonlyArray<readonly Seg[]>;
  readonly color: boolean;
};

/** A column of pre-built lines (the panels build theirs as pure functions). */
export default function Lines({lines, color}: Props) {
  return (
    <Box flexDirection="column">
      {lines.map((segs, i) => (
        <SegLine key={i} segs={segs} color={color} />
      ))}
    </Box>
  );
}
