import {Text} from 'ink';
import {trimTrailingBlanks, type Seg} from '../seg.js';

type Props = {
  readonly segs: readonly Seg[];
  /** False under NO_COLOR: segments keep bold/dim/inverse but lose their colour. */
  readonly color: boolean;
};

/** One screen line from styled segments; truncates rather than wraps if it is ever too long. */
export default function SegLine({segs, color}: Props) {
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
