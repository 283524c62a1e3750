// SegLine skips lines that read the same as in the frame before: any change of text or style must still show.
// FORCE_COLOR is set before ink loads (chalk decides its colour level when first imported).
import {afterAll, beforeAll, expect, test} from 'vitest';
import type {Seg} from '../../source/ui/seg.js';

let saved: string | undefined;
let render: typeof import('ink-testing-library').render;
let SegLine: typeof import('../../source/ui/components/seg-line.js').default;

beforeAll(async () => {
  saved = process.env['FORCE_COLOR'];
  process.env['FORCE_COLOR'] = '1';
  ({render} = await import('ink-testing-library'));
  SegLine = (await import('../../source/ui/components/seg-line.js')).default;
});

afterAll(() => {
  if (saved === undefined) delete process.env['FORCE_COLOR'];
  else process.env['FORCE_COLOR'] = saved;
});

test('a line redraws when a segment changes its text or any style, and not otherwise', () => {
  const base: Seg[] = [{text: '│ '}, {text: 'GET /login', bold: true}, {text: ' 12ms', color: 'green'}];
  const app = render(<SegLine segs={base} color />);
  const frames = [app.lastFrame()];
  const variants: Seg[][] = [
    base.map((s) => ({...s})), // a fresh array with the same content
    [base[0]!, base[1]!, {text: ' 13ms', color: 'green'}],
    [base[0]!, base[1]!, {text: ' 13ms', color: 'red'}],
    [base[0]!, {text: 'GET /login', bold: false}, {text: ' 13ms', color: 'red'}],
    [base[0]!, {text: 'GET /login', dim: true}, {text: ' 13ms', color: 'red'}],
    [base[0]!, {text: 'GET /login', dim: true, inverse: true}, {text: ' 13ms', color: 'red'}],
    [base[0]!, {text: 'GET /login', dim: true, inverse: true}],
  ];
  for (const segs of variants) {
    app.rerender(<SegLine segs={segs} color />);
    frames.push(app.lastFrame());
  }
  app.rerender(<SegLine segs={variants.at(-1)!} color />);
  app.rerender(<SegLine segs={variants.at(-2)!} color />);
  frames.push(app.lastFrame());
  app.rerender(<SegLine segs={variants.at(-2)!} color={false} />); // NO_COLOR: the red goes
  frames.push(app.lastFrame());
  expect(frames[1]).toBe(frames[0]);
  // Every other step changed something that shows: each frame differs from the one before.
  for (let i = 2; i < frames.length; i++) expect(frames[i], `step ${i}`).not.toBe(frames[i - 1]);
  expect(frames[2]).toContain('13ms');
  app.unmount();
});
