// The CLI loads the live view from the bundle `npm run build` makes (source/ui/view.ts): it must exist and
// draw the same screen as the modules it was made from, whose frames go through Ink's own frame buffer where
// the bundle's go through brink's (source/ui/ink-output.ts).
import {existsSync} from 'node:fs';
import {PassThrough} from 'node:stream';
import {stripVTControlCharacters} from 'node:util';
import {styledCharsFromTokens, tokenize} from '@alcalzone/ansi-tokenize';
import {expect, test} from 'vitest';
import {makeLive} from '../ui/fixtures.js';

const BUNDLE = new URL('../../dist/ui/bundle/view.js', import.meta.url);
type View = typeof import('../../source/ui/view.js');

// Colour on for both copies of chalk (the bundle has its own), which read the environment as they load.
const saved = process.env.FORCE_COLOR;
process.env.FORCE_COLOR = '3';
const bundled = existsSync(BUNDLE) ? ((await import(BUNDLE.href)) as View) : undefined;
const unbundled = (await import('../../source/ui/view.js')) as View;
if (saved === undefined) delete process.env.FORCE_COLOR;
else process.env.FORCE_COLOR = saved;

/** The last whole frame a view writes for a live state, as a terminal's cells: character and styles. */
async function frame(view: View): Promise<string[][]> {
  const writes: string[] = [];
  const stdout = Object.assign(new PassThrough(), {columns: 120, rows: 40, isTTY: true});
  stdout.on('data', (chunk: Buffer) => writes.push(chunk.toString()));
  const stdin = Object.assign(new PassThrough(), {isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin});
  const live = view.renderLive(view.createLiveStore(makeLive()), () => {}, {stdout: stdout as never, stdin: stdin as never, color: true});
  for (let i = 0; i < 50 && !writes.some((w) => w.includes('/api/orders')); i++) await new Promise((r) => setTimeout(r, 20));
  live.unmount();
  const drawn = [...writes].reverse().find((w) => w.includes('/api/orders')) ?? '';
  // Cursor moves and erases (every CSI but colours and styles) are log-update's, the same in both.
  const screen = drawn.replace(/\x1b\[[0-9;?]*[A-Za-ln-z]/g, '');
  return screen.split('\n').map((row) =>
    styledCharsFromTokens(tokenize(row)).map(
      (c) =>
        `${c.value}${c.styles
          .map((s) => s.code)
          .sort()
          .join('')}`,
    ),
  );
}

test('the bundled view draws a live state', async () => {
  expect(bundled, 'dist/ui/bundle/view.js (npm run build)').toBeDefined();
  const cells = await frame(bundled!);
  const screen = cells.map((row) => stripVTControlCharacters(row.join(''))).join('\n');
  expect(screen).toContain('POST /api/orders');
  expect(screen).toMatch(/failures/);
  expect(screen).toContain('scenarios/shop.ts');
  expect(
    cells.flat().some((c) => c.includes('\x1b[31m')),
    'some cell is red',
  ).toBe(true);
});

test("its frame shows the same cells, in the same styles, as the unbundled view's", async () => {
  const ours = await frame(bundled!);
  const inks = await frame(unbundled);
  expect(ours.length).toBeGreaterThan(30);
  expect(ours).toEqual(inks);
});
