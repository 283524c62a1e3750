import {Text} from 'ink';
import {sparkline} from '../sparkline.js';

type Props = {
  readonly values: readonly number[];
  /** Columns; the most recent values are kept. */
  readonly width: number;
  readonly color?: string | undefined;
};

export default function Sparkline({values, width, color}: Props) {
  return (
    <Text color={color} wrap="truncate-end">
      {sparkline(values, width)}
    </Text>
  );
}
