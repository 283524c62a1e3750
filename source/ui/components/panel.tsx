import {Box} from 'ink';
import type {ReactNode} from 'react';
import {fitSegs, segsWidth, type Seg} from '../seg.js';
import SegLine from './seg-line.js';

type Props = {
  readonly title: readonly Seg[];
  /** Total width and height, borders included. */
  readonly width: number;
  readonly height: number;
  readonly color: boolean;
  readonly children?: ReactNode;
};

/** The top border with the title in it: "┌ title ─────┐". */
export function topBorder(title: readonly Seg[], width: number): Seg[] {
  if (width < 2) return [];
  const fitted = title.length > 0 && width >= 8 ? fitSegs(title, width - 5) : [];
  if (fitted.length === 0) return [{text: `┌${'─'.repeat(width - 2)}┐`, dim: true}];
  const rest = width - 4 - segsWidth(fitted);
  return [{text: '┌ ', dim: true}, ...fitted, {text: ` ${'─'.repeat(Math.max(0, rest))}┐`, dim: true}];
}

/**
 * A bordered box with a title in its top edge; children get `width - 2` columns and `height - 2` lines.
 * Children build lines that fit (fitSegs, sliced to the height), so the box does not clip: Ink's clipping
 * re-slices every line of every frame with slice-ansi, a third of the live view's CPU.
 */
export default function Panel({title, width, height, color, children}: Props) {
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <SegLine segs={topBorder(title, width)} color={color} />
      <Box flexDirection="column" width={width} height={Math.max(1, height - 1)} borderStyle="single" borderTop={false} borderDimColor>
        {children}
      </Box>
    </Box>
  );
}
