// Colour must be a hint, never the only signal, and NO_COLOR must turn it off. chalk decides its
// colour level when first imported, so FORCE_COLOR is set before ink loads (each test file has its
// own module graph).
import {afterAll, beforeAll, describe, expect, test} from 'vitest';

const COLOR_CODE = /\u001B\[(3[0-7]|9[0-7]|38;)/;
let renderApp: typeof import('./render-at.js').renderApp;
let saved: string | undefined;

beforeAll(async () => {
  saved = process.env['FORCE_COLOR'];
  process.env['FORCE_COLOR'] = '1';
  ({renderApp} = await import('./render-at.js'));
});

afterAll(() => {
  if (saved === undefined) delete process.env['FORCE_COLOR'];
  else process.env['FORCE_COLOR'] = saved;
});

describe('colour', () => {
  test('with colour on, figures carry colour hints', async () => {
    const app = await renderApp({color: true});
    expect(app.lastFrame()).toMatch(COLOR_CODE);
  });

  test('connections opening about as fast as requests go are yellow: the target is not keeping them alive', async () => {
    const {makeLive} = await import('./fixtures.js');
    const connectMs = {mean: 0.3, p50: 0.2, p90: 0.5, p95: 0.7, p99: 2.5, max: 3.1};
    const churn =
      (await renderApp({color: true, state: makeLive({}, {connections: {opened: 9000, perSecond: 400, connectMs}})})).lastFrame() ?? '';
    expect(churn).toMatch(/\u001B\[33m \+400\/s/);
    const kept =
      (await renderApp({color: true, state: makeLive({}, {connections: {opened: 60, perSecond: 2, connectMs}})})).lastFrame() ?? '';
    expect(kept).toContain('+2.0/s');
    expect(kept).not.toMatch(/\u001B\[33m \+2\.0\/s/);
  });

  test('under NO_COLOR no colour codes are written, and the same figures still read as text', async () => {
    const app = await renderApp({color: false});
    expect(app.lastFrame()).not.toMatch(COLOR_CODE);
    const f = app.frame();
    expect(f).toContain('5.1%');
    expect(f).toContain('● running');
    expect(f).toContain('✗ POST /api/orders first http_503');
  });

  test('the App reads NO_COLOR itself when not told', async () => {
    const {colorEnabled} = await import('../../source/ui/format.js');
    expect(colorEnabled({NO_COLOR: '1'})).toBe(false);
  });
});
