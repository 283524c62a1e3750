import {memo} from 'react';
import {Text} from 'ink';
import {trimTrailingBlanks, type Seg} from '../seg.js';

type Props = {
  readonly segs: readonly Seg[];
  /** False under NO_COLOR: segments keep bold/dim/inverse but lose their colour. */
  readonly color: boolean;
};

/** One screen line from styled segments; truncates rather than wraps if it is ever too long. */
function SegLine({segs, color}: Props) {
  return (
    <Text wrap="truncate-end">
      {trimTrailingBlanks(segs).map((s, i) => (
        <Text key={i} color={color ? s.color : undefined} bold={s.bold} dimColor={s.dim} inverse={s.inverse}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
}

const sameSeg = (a: Seg, b: Seg) => a.text === b.text && a.color === b.color && a.bold === b.bold && a.dim === b.dim && a.inverse === b.inverse;

/**
 * Panels build their lines afresh every frame, but most of a screen (borders, labels, rows that did not
 * move) reads the same as the frame before: such a line is not rendered again, so React and Ink's layout
 * skip it.
 */
export default memo(SegLine, (before, after) =>
  before.color === after.color && before.segs.length === after.segs.length && before.segs.every((s, i) => sameSeg(s, after.segs[i]!)));
