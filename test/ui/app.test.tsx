import {afterEach, describe, expect, test} from 'vitest';
import stringWidth from 'string-width';
import {cleanup} from 'ink-testing-library';
import {makeLive, makeRun, saturatedHealth} from './fixtures.js';
import {renderApp} from './render-at.js';
import type {Command} from '../../source/plan/commands.js';

afterEach(() => {
  cleanup();
});

const DOWN = '\u001B[B';
const UP = '\u001B[A';
const ESC = '\u001B';

/** The line of the frame that contains `needle`. */
const lineWith = (frame: string, needle: string) => frame.split('\n').find((l) => l.includes(needle)) ?? '';
/** The endpoint rows of the table, in order (each starts with "│" and the marker column). */
const tableRows = (frame: string) =>
  frame
    .split('\n')
    .filter((l) => /^│[ ▸](GET|POST) /.test(l))
    .map((l) =>
      l
        .slice(2)
        .split(/\s{2,}/)[0]!
        .trim(),
    );

/** Columns as a terminal shows them (string-width, which Ink itself uses): wide characters take two. */
function expectFits(frame: string, columns: number, rows: number) {
  const lines = frame.split('\n');
  for (const l of lines) expect(stringWidth(l), l).toBeLessThanOrEqual(columns);
  expect(lines.length).toBeLessThanOrEqual(rows - 1);
}

describe('live view at 120×40', () => {
  test('the table shows each endpoint’s p95, formatted', async () => {
    const app = await renderApp();
    const f = app.frame();
    expect(lineWith(f, 'POST /api/orders ')).toMatch(/410ms\s+1\.9s\s+3\.2s/);
    expect(lineWith(f, 'GET /api/reports/orders')).toMatch(/150ms\s+620ms\s+1\.1s/);
    expect(lineWith(f, 'POST /login')).toMatch(/38ms\s+210ms\s+390ms/);
    expect(lineWith(f, 'GET /products/:id')).toMatch(/9ms\s+88ms\s+240ms/);
    expect(lineWith(f, '│ GET / ')).toMatch(/4ms\s+40ms\s+120ms/);
    expect(lineWith(f, 'POST /api/orders ')).toContain('1,204');
    expect(lineWith(f, 'POST /api/orders ')).toContain('5.1%');
  });

  test('the failure breakdown shows each kind’s share and the first failure', async () => {
    const f = (await renderApp()).frame();
    expect(lineWith(f, 'http_503')).toMatch(/58\s+77% █+/);
    expect(lineWith(f, 'timeout ')).toMatch(/11\s+15% █+/);
    expect(lineWith(f, 'conn_reset')).toMatch(/6\s+8% █+/);
    expect(f).toContain('first failure: POST /api/orders http_503 @ 60 users 02:44');
  });

  test('the header shows the plan, users, figures now and the running marker', async () => {
    const app = await renderApp();
    let f = app.frame();
    expect(f).toContain('step 6 of 10 · next +10 in 12 s');
    expect(lineWith(f, 'plan')).toMatch(/users 60\s+req\/s 412\s+fail 2\.4%\s+p95 840ms/);
    expect(f).toContain('elapsed 03:12');
    expect(f).toContain('● running');
    app.store.set(
      makeLive(
        {plan: {label: 'holding at 60 users', held: false, manual: true}, running: false},
        {users: {active: 40, target: 60, stopping: 0}},
      ),
    );
    await app.settled();
    f = app.frame();
    expect(f).toContain('users 40 → 60 spawning');
    expect(f).toContain('holding at 60 users manual (n: back to plan)');
    expect(f).toContain('■ stopped');
  });

  test('a label that already says "manual" gets no second badge', async () => {
    const state = makeLive({plan: {label: 'manual: 30 users (n: back to plan)', held: false, manual: true}});
    const f = (await renderApp({state})).frame();
    expect(f.split('(n: back to plan)')).toHaveLength(2);
  });

  test('the saturation warning appears only when brink is saturated', async () => {
    const fine = (await renderApp()).frame();
    expect(fine).not.toContain('saturated');
    expect(fine).toMatch(/event loop 31%.*cpu 0\.6 of 2 cores.*ok/);
    const busy = (await renderApp({state: makeLive({}, {health: saturatedHealth()})})).frame();
    expect(busy).toContain(
      'brink is saturated (event loop 97%): figures describe brink, not the target — add --workers or use a bigger box',
    );
    const narrow = (await renderApp({columns: 80, rows: 24, state: makeLive({}, {health: saturatedHealth()})})).frame();
    expect(narrow).toContain('brink saturated (event loop 97%): figures describe brink, not the target');
  });

  test('the health line shows the connections opened and their connect p99', async () => {
    const kept = (await renderApp()).frame();
    expect(kept).toContain('ok  ·  conns 64 +0.0/s connect p99 1ms');
    const churn = makeLive(
      {},
      {connections: {opened: 9000, perSecond: 400, connectMs: {mean: 0.3, p50: 0.2, p90: 0.5, p95: 0.7, p99: 2.5, max: 3.1}}},
    );
    const f = (await renderApp({state: churn})).frame();
    expect(f).toContain('conns 9,000 +400/s connect p99 3ms');
  });

  test('thresholds show as a line of verdicts, broken ones first, and the screen still fits', async () => {
    const thresholds = [
      {expression: 'p95<800ms', ok: true, value: '412 ms'},
      {expression: 'POST /api/orders: errors<1%', ok: false, value: '5.10 %'},
    ];
    const frame = (await renderApp({state: makeLive({thresholds})})).frame();
    expect(lineWith(frame, 'thresholds')).toMatch(/thresholds\s+✗ POST \/api\/orders: errors<1% 5\.10 %\s+✓ p95<800ms 412 ms/);
    const small = (await renderApp({columns: 80, rows: 24, state: makeLive({thresholds})})).frame();
    expectFits(small, 80, 24);
    expect(small).toContain('✗ POST /api/orders: errors<1%');
    expect((await renderApp()).frame()).not.toContain('thresholds');
  });

  test('the recovery line follows the recovery state', async () => {
    const recovering = makeLive({
      recovery: {state: 'recovering', sinceMs: 180_000, baselineP95: 38, currentP95: 412, baselineFailRate: 0, currentFailRate: 0},
    });
    expect((await renderApp({state: recovering})).frame()).toContain('recovering… p95 412ms → baseline 38ms, 12s');
    const recovered = makeLive({
      recovery: {state: 'recovered', sinceMs: 170_000, recoveredAfterMs: 14_000, baselineP95: 38, currentP95: 41},
    });
    expect((await renderApp({state: recovered})).frame()).toContain('recovered in 14s');
    const not = makeLive({recovery: {state: 'not_recovered', sinceMs: 137_000, baselineP95: 38, currentP95: 650}});
    expect((await renderApp({state: not})).frame()).toContain('not recovered after 55s: p95 650ms → baseline 38ms');
    expect((await renderApp()).frame()).not.toContain('recover');
  });

  test('charts appear, with labelled lines and a time axis', async () => {
    const f = (await renderApp()).frame();
    expect(f).toContain('req/s ─ · users ┄');
    expect(f).toContain('latency · all traffic');
    expect(f).toContain('━ p95');
    expect(f).toContain('03:10');
    expectFits(f, 120, 40);
  });
});

describe('keys', () => {
  test.each<[string, Command['type']]>([
    ['+', 'addUsers'],
    ['=', 'addUsers'],
    ['-', 'removeUsers'],
    ['_', 'removeUsers'],
    [']', 'stepUp'],
    ['[', 'stepDown'],
    ['p', 'hold'],
    ['n', 'next'],
    ['b', 'baseline'],
    ['q', 'stop'],
    ['\u0003', 'stop'],
  ])('%j dispatches %s', async (input, type) => {
    const app = await renderApp();
    app.stdin.write(input);
    await app.settled();
    expect(app.commands).toEqual([{type}]);
  });

  test('keys that arrive in one chunk ("++]") are each a press', async () => {
    const app = await renderApp();
    app.stdin.write('++]');
    await app.settled();
    expect(app.commands).toEqual([{type: 'addUsers'}, {type: 'addUsers'}, {type: 'stepUp'}]);
  });

  test('arrows move the selection and the latency chart follows it', async () => {
    const app = await renderApp();
    app.stdin.write(DOWN);
    await app.settled();
    expect(app.frame()).toContain('latency · GET / ');
    expect(app.frame()).toMatch(/│▸GET \/ /);
    app.stdin.write(DOWN);
    await app.settled();
    expect(app.frame()).toContain('latency · GET /products/:id');
    expect(lineWith(app.frame(), '▸')).toContain('GET /products/:id');
    app.stdin.write(UP);
    await app.settled();
    app.stdin.write(UP);
    await app.settled();
    expect(app.frame()).toContain('latency · all traffic');
    expect(app.commands).toEqual([]);
  });

  test('the selected endpoint’s own failures join the breakdown', async () => {
    const app = await renderApp();
    for (let i = 0; i < 3; i++) {
      app.stdin.write(DOWN);
      await app.settled();
    }
    const f = app.frame();
    expect(f).toContain('latency · POST /api/orders');
    expect(f).toMatch(/│ http_503\s+52\s+85%/);
  });

  test('s cycles the sort and the first row changes', async () => {
    const app = await renderApp();
    expect(app.frame()).toContain('sort: traffic');
    expect(tableRows(app.frame()).slice(0, 2)).toEqual(['GET /', 'GET /products/:id']);
    app.stdin.write('s');
    await app.settled();
    expect(app.frame()).toContain('sort: p95');
    expect(tableRows(app.frame()).slice(0, 2)).toEqual(['POST /api/orders', 'GET /api/reports/orders']);
    app.stdin.write('s');
    await app.settled();
    expect(app.frame()).toContain('sort: failures');
    expect(tableRows(app.frame()).slice(0, 2)).toEqual(['POST /api/orders', 'GET /products/:id']);
  });

  test('the selection stays on its endpoint when the sort changes', async () => {
    const app = await renderApp();
    app.stdin.write(DOWN);
    await app.settled();
    app.stdin.write('s');
    await app.settled();
    expect(lineWith(app.frame(), '▸')).toContain('GET / ');
    expect(app.frame()).toContain('latency · GET / ');
  });

  test('? toggles the help overlay; esc closes it', async () => {
    const app = await renderApp();
    expect(app.frame()).not.toContain('how keys change the plan');
    app.stdin.write('?');
    await app.settled();
    expect(app.frame()).toContain('how keys change the plan');
    expect(app.frame()).toContain('manual');
    app.stdin.write('?');
    await app.settled();
    expect(app.frame()).not.toContain('how keys change the plan');
    app.stdin.write('?');
    await app.settled();
    app.stdin.write(ESC);
    await app.settled();
    expect(app.frame()).not.toContain('how keys change the plan');
  });

  test('f freezes the screen: updates are not drawn (not even rendered) until f again shows the latest', async () => {
    const app = await renderApp();
    app.stdin.write('f');
    await app.settled();
    expect(lineWith(app.frame(), 'frozen')).toContain('frozen · f resumes');
    expect(app.frame()).toContain('elapsed 03:12');
    const drawn = app.frames.length;
    app.store.set(makeLive({}, {elapsedMs: 200_000}));
    app.store.set(makeLive({}, {elapsedMs: 201_000}));
    await app.settled();
    expect(app.frames.length).toBe(drawn);
    expect(app.frame()).toContain('elapsed 03:12');
    // Keys still work while frozen; the run's commands still go out.
    app.stdin.write('+');
    await app.settled();
    expect(app.commands).toEqual([{type: 'addUsers'}]);
    app.stdin.write('f');
    await app.settled();
    expect(app.frame()).toContain('elapsed 03:21');
    expect(app.frame()).not.toContain('frozen');
  });

  test('tab switches views: overview → charts → endpoint', async () => {
    const app = await renderApp();
    expect(app.frame()).toContain(' overview ');
    app.stdin.write('\t');
    await app.settled();
    expect(app.frame()).toContain(' charts ');
    expect(app.frame()).not.toContain('sort: traffic');
    app.stdin.write('\t');
    await app.settled();
    expect(app.frame()).toContain('all traffic · ↓ to pick an endpoint');
    app.stdin.write(DOWN);
    await app.settled();
    expect(app.frame()).toContain('GET / · 1 of 5');
    app.stdin.write('\t');
    await app.settled();
    expect(app.frame()).toContain('sort: traffic');
  });
});

describe('sizes', () => {
  test('at 80×24 nothing is longer than 80 columns; charts give way, breakdown and events stay', async () => {
    const app = await renderApp({columns: 80, rows: 24});
    const f = app.frame();
    expectFits(f, 80, 24);
    expect(f).not.toContain('latency ·');
    expect(f).toContain('77%');
    expect(f).toContain('events');
    expect(lineWith(f, 'POST /api/orders ')).toContain('1.9s');
  });

  test('every view fits every size', async () => {
    for (const [columns, rows] of [
      [60, 20],
      [80, 24],
      [100, 30],
      [120, 40],
      [160, 50],
    ] as const) {
      const app = await renderApp({
        columns,
        rows,
        state: makeLive({recovery: {state: 'recovering', sinceMs: 0}}, {health: saturatedHealth()}),
      });
      for (const view of ['overview', 'charts', 'endpoint']) {
        expect(app.frame()).toContain(` ${view} `);
        expectFits(app.frame(), columns, rows);
        app.stdin.write(DOWN);
        await app.settled();
        expectFits(app.frame(), columns, rows);
        app.stdin.write('\t');
        await app.settled();
      }
      app.stdin.write('?');
      await app.settled();
      expectFits(app.frame(), columns, rows);
      app.unmount();
    }
  }, 30_000);

  test('wide characters and control characters in names and messages keep every line in its box', async () => {
    const run = makeRun();
    const endpoints = run.endpoints.map((e, i) =>
      i !== 0
        ? e
        : {
            ...e,
            name: '/商品/:id/レビュー',
            key: `${e.method} /商品/:id/レビュー`,
            errors: [{kind: 'check', count: 3, message: 'unexpected body:\n<html>\u001b[31mboom\tend'}, ...e.errors],
          },
    );
    for (const [columns, rows] of [
      [80, 24],
      [120, 40],
    ] as const) {
      const app = await renderApp({columns, rows, state: makeLive({}, {endpoints})});
      expect(app.frame()).toContain('/商品/:id');
      for (const view of ['overview', 'charts', 'endpoint']) {
        expectFits(app.frame(), columns, rows);
        expect(app.lastFrame()).not.toContain('\u001b[31mboom');
        if (view === 'endpoint') expect(app.frame()).toContain('unexpected body: <html>\ufffd[31mboom end');
        app.stdin.write('\t');
        await app.settled();
      }
      app.unmount();
    }
  });

  test('the layout follows a resize', async () => {
    const app = await renderApp({columns: 120, rows: 40});
    expect(app.frame()).toContain('latency ·');
    Object.defineProperty(app.stdout, 'columns', {value: 80, configurable: true});
    Object.defineProperty(app.stdout, 'rows', {value: 24, configurable: true});
    app.stdout.emit('resize');
    await app.settled();
    expectFits(app.frame(), 80, 24);
    expect(app.frame()).not.toContain('latency ·');
  });

  test('many endpoints: the table shows what fits and says how many more', async () => {
    const base = makeRun();
    const endpoints = Array.from({length: 30}, (_, i) => ({
      ...base.endpoints[i % 5]!,
      key: `GET /items/${i}`,
      method: 'GET',
      name: `/items/${i}`,
      requests: 1000 - i,
    }));
    const app = await renderApp({columns: 80, rows: 24, state: makeLive({}, {endpoints})});
    expect(app.frame()).toMatch(/\+\d+ more \(↑↓ to scroll\)/);
    expectFits(app.frame(), 80, 24);
    for (let i = 0; i < 20; i++) app.stdin.write(DOWN);
    await app.settled();
    expect(lineWith(app.frame(), '▸')).toContain('GET /items/19');
  });

  test('an empty run renders without data', async () => {
    const empty = makeLive(
      {},
      {
        endpoints: [],
        series: [],
        events: [],
        totals: {...makeRun().totals, failuresByKind: {}, failures: 0},
        now: {rps: 0, failRate: 0, p50: 0, p95: 0, p99: 0},
      },
    );
    const app = await renderApp({state: empty});
    // No response yet: the header has no p95 to show, rather than "0ms".
    expect(lineWith(app.frame(), 'req/s')).toMatch(/p95 –/);
    expect(app.frame()).toContain('no requests yet');
    expect(app.frame()).toContain('no failures');
    expect(app.frame()).toContain('waiting for the first interval');
    expectFits(app.frame(), 120, 40);
  });
});
