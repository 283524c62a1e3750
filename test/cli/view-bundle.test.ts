// The CLI loads the live view from the bundle `npm run build` makes (source/ui/view.ts): it must exist and
// draw the same screen as the modules it was made from.
import {existsSync} from 'node:fs';
import {PassThrough} from 'node:stream';
import {stripVTControlCharacters} from 'node:util';
import {expect, test} from 'vitest';
import {makeLive} from '../ui/fixtures.js';

const BUNDLE = new URL('../../dist/ui/bundle/view.js', import.meta.url);

test('the bundled view draws a live state', async () => {
  expect(existsSync(BUNDLE), 'dist/ui/bundle/view.js (npm run build)').toBe(true);
  const view = (await import(BUNDLE.href)) as typeof import('../../source/ui/view.js');
  let written = '';
  const stdout = Object.assign(new PassThrough(), {columns: 120, rows: 40, isTTY: true});
  stdout.on('data', (chunk: Buffer) => { written += chunk.toString(); });
  const stdin = Object.assign(new PassThrough(), {isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin});
  const live = view.renderLive(view.createLiveStore(makeLive()), () => {}, {stdout: stdout as never, stdin: stdin as never, color: false});
  for (let i = 0; i < 50 && !written.includes('POST /api/orders'); i++) await new Promise((r) => setTimeout(r, 20));
  live.unmount();
  const screen = stripVTControlCharacters(written);
  expect(screen).toContain('POST /api/orders');
  expect(screen).toMatch(/failures/);
  expect(screen).toContain('scenarios/shop.ts');
});
