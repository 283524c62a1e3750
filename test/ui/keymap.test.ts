import type {Key} from 'ink';
import {describe, expect, test} from 'vitest';
import {INITIAL_UI, keymap} from '../../source/ui/keymap.js';

const noKey: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
const key = (k: Partial<Key> = {}): Key => ({...noKey, ...k});
const rows = ['GET /', 'GET /products/:id', 'POST /api/orders'];

describe('keymap', () => {
  test.each([
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
  ])('%s → %s', (input, type) => {
    expect(keymap(input, key(), INITIAL_UI)).toEqual({command: {type}});
  });

  test('ctrl-c stops; other ctrl keys do nothing', () => {
    expect(keymap('c', key({ctrl: true}), INITIAL_UI)).toEqual({command: {type: 'stop'}});
    expect(keymap('p', key({ctrl: true}), INITIAL_UI)).toEqual({});
  });

  test('arrows move through the rows; above the first is all traffic', () => {
    let ui = keymap('', key({downArrow: true}), INITIAL_UI, rows).ui!;
    expect(ui.selected).toBe('GET /');
    ui = keymap('', key({downArrow: true}), ui, rows).ui!;
    expect(ui.selected).toBe('GET /products/:id');
    ui = keymap('', key({pageDown: true}), ui, rows).ui!;
    expect(ui.selected).toBe('POST /api/orders');
    ui = keymap('', key({upArrow: true}), ui, ['POST /api/orders', 'GET /']).ui!;
    expect(ui.selected).toBeNull();
    expect(keymap('', key({escape: true, meta: true}), {...ui, selected: 'GET /'}).ui!.selected).toBeNull();
  });

  test('sort, views and help only change the screen', () => {
    expect(keymap('s', key(), INITIAL_UI)).toEqual({ui: {...INITIAL_UI, sort: 'p95'}});
    expect(keymap('s', key(), {...INITIAL_UI, sort: 'failures'}).ui!.sort).toBe('traffic');
    expect(keymap('', key({tab: true}), INITIAL_UI).ui!.view).toBe('charts');
    expect(keymap('', key({tab: true, shift: true}), INITIAL_UI).ui!.view).toBe('endpoint');
    const open = keymap('?', key(), INITIAL_UI).ui!;
    expect(open.help).toBe(true);
    expect(keymap('?', key(), open).ui!.help).toBe(false);
    expect(keymap('', key({escape: true, meta: true}), open).ui!.help).toBe(false);
  });

  test('unknown keys do nothing', () => {
    expect(keymap('x', key(), INITIAL_UI)).toEqual({});
  });
});
