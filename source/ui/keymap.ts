// Keys → what they mean, as a pure function. Run commands go to the steering controller;
// everything else only changes what the screen shows (UiState), never the run.
import type {Key} from 'ink';
import type {Command} from '../plan/commands.js';

export type SortKey = 'traffic' | 'p95' | 'failures';
export type View = 'overview' | 'charts' | 'endpoint';

export const SORTS: readonly SortKey[] = ['traffic', 'p95', 'failures'];
export const VIEWS: readonly View[] = ['overview', 'charts', 'endpoint'];

export interface UiState {
  /** The selected endpoint's key; null means "all traffic". Kept by key so a re-sort doesn't move it. */
  readonly selected: string | null;
  readonly sort: SortKey;
  readonly view: View;
  readonly help: boolean;
  /** The screen stops following the run (to read or copy it); the run and its measurements go on. */
  readonly frozen: boolean;
}

export const INITIAL_UI: UiState = {selected: null, sort: 'traffic', view: 'overview', help: false, frozen: false};

export interface KeyResult {
  readonly command?: Command;
  readonly ui?: UiState;
}

const COMMAND_KEYS: Readonly<Record<string, Command['type']>> = {
  '+': 'addUsers',
  '=': 'addUsers',
  '-': 'removeUsers',
  _: 'removeUsers',
  ']': 'stepUp',
  '[': 'stepDown',
  p: 'hold',
  n: 'next',
  b: 'baseline',
  q: 'stop',
};

const next = <T>(list: readonly T[], current: T, by: number): T => list[(list.indexOf(current) + by + list.length) % list.length]!;

/**
 * Moves the selection through `rowKeys` (the table's current order). Above the first row is
 * "all traffic" (null); the selection stops at the ends rather than wrapping.
 */
function move(ui: UiState, rowKeys: readonly string[], by: number): UiState {
  if (rowKeys.length === 0) return ui.selected === null ? ui : {...ui, selected: null};
  const at = ui.selected === null ? -1 : rowKeys.indexOf(ui.selected);
  const to = Math.max(-1, Math.min(rowKeys.length - 1, at + by));
  return {...ui, selected: to < 0 ? null : rowKeys[to]!};
}

/**
 * @param rowKeys the endpoint keys in the order the table shows them, for ↑/↓.
 */
export function keymap(input: string, key: Key, ui: UiState, rowKeys: readonly string[] = []): KeyResult {
  if (key.ctrl && input === 'c') return {command: {type: 'stop'}};
  if (key.ctrl || key.meta) {
    // Escape arrives with meta set; anything else with a modifier is not ours.
    if (!key.escape) return {};
  }
  if (key.escape) {
    if (ui.help) return {ui: {...ui, help: false}};
    return ui.selected === null ? {} : {ui: {...ui, selected: null}};
  }
  if (key.upArrow) return {ui: move(ui, rowKeys, -1)};
  if (key.downArrow) return {ui: move(ui, rowKeys, 1)};
  if (key.pageUp) return {ui: move(ui, rowKeys, -10)};
  if (key.pageDown) return {ui: move(ui, rowKeys, 10)};
  if (key.home) return {ui: {...ui, selected: null}};
  if (key.end) return rowKeys.length > 0 ? {ui: {...ui, selected: rowKeys[rowKeys.length - 1]!}} : {};
  if (key.tab) return {ui: {...ui, help: false, view: next(VIEWS, ui.view, key.shift ? -1 : 1)}};
  if (input === '?') return {ui: {...ui, help: !ui.help}};
  if (input === 'f') return {ui: {...ui, frozen: !ui.frozen}};
  if (input === 's') return {ui: {...ui, sort: next(SORTS, ui.sort, 1)}};
  if (input === 'S') return {ui: {...ui, sort: next(SORTS, ui.sort, -1)}};
  const type = COMMAND_KEYS[input];
  return type ? {command: {type}} : {};
}
