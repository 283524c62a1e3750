// What the live view must not let anyone miss: an outage going on now (with its running timer), and script
// errors, in rows of their own beside the requests' failures.
import {afterEach, describe, expect, test} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {makeLive} from './fixtures.js';
import {renderApp} from './render-at.js';

afterEach(() => cleanup());

const lineWith = (frame: string, needle: string) => frame.split('\n').find((l) => l.includes(needle)) ?? '';

describe('the live view', () => {
  test('an outage going on shows OUTAGE in the header with how long it has lasted and what the target answers', async () => {
    const outage = {
      fromMs: 180_000,
      failures: 900,
      requests: 900,
      failuresByKind: {http_502: 900},
      succeeded: 0,
      nothingSucceeded: true,
      stalled: false,
    };
    const app = await renderApp({state: makeLive({outages: [outage]})});
    // elapsed 03:12 in the fixture: 12 s into the outage.
    expect(lineWith(app.frame(), 'elapsed')).toMatch(/OUTAGE 00:12 {2}502 from the proxy {3}elapsed 03:12/);
  });

  test('an outage that ended leaves the header alone', async () => {
    const over = {
      fromMs: 100_000,
      toMs: 106_000,
      failures: 900,
      requests: 900,
      failuresByKind: {http_502: 900},
      succeeded: 0,
      nothingSucceeded: true,
      stalled: false,
    };
    const app = await renderApp({state: makeLive({outages: [over]})});
    expect(app.frame()).not.toContain('OUTAGE');
  });

  test('script errors get rows of their own in the failures panel, apart from the failed requests', async () => {
    const scriptErrors = [
      {
        task: 'checkout',
        where: 'shop.ts:31',
        message: "TypeError: Cannot read properties of undefined (reading 'id')",
        count: 9,
        firstAtMs: 1000,
      },
      {task: 'shopper onStart', where: 'shop.ts:12', message: 'login flaked', count: 3, firstAtMs: 2000},
    ];
    const app = await renderApp({state: makeLive({}, {scriptErrors, totals: {...makeLive().run.totals, scriptErrors: 12}})});
    const f = app.frame();
    expect(lineWith(f, 'script errors')).toMatch(/script errors 12 \(not requests\)/);
    expect(lineWith(f, 'checkout shop.ts:31')).toMatch(/9 × checkout shop\.ts:31 TypeError/);
    // The requests' own failures are still there, counted as before.
    expect(lineWith(f, 'http_503')).toMatch(/http_503\s+58/);
  });
});
