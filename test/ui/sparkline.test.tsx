import {render} from 'ink-testing-library';
import {expect, test} from 'vitest';
import Sparkline from '../../source/ui/components/sparkline.js';

test('the sparkline component draws the most recent values in its width', () => {
  const {lastFrame} = render(<Sparkline values={[9, 9, 1, 2, 3, 4, 5, 6, 7, 8]} width={8} />);
  expect(lastFrame()).toBe('▁▂▃▄▅▆▇█');
});
