// ink-testing-library's fake stdout reports 100 columns and no rows. Sizes are set here by
// overriding both on the instance and emitting 'resize', the same path a real terminal takes.
import {stripVTControlCharacters} from 'node:util';
import type {ReactElement} from 'react';
import {render} from 'ink-testing-library';
import App from '../../source/ui/app.js';
import type {LiveState} from '../../source/control/types.js';
import {createLiveStore, type LiveStore} from '../../source/ui/store.js';
import {makeLive} from './fixtures.js';
import type {Command} from '../../source/plan/commands.js';

export const tick = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

type Rendered = ReturnType<typeof render>;

export interface RenderedApp extends Rendered {
  readonly store: LiveStore;
  /** What the keys dispatched, in order. */
  readonly commands: Command[];
  /** The last frame without colour codes. */
  frame(): string;
  /**
   * Resolves once Ink has drawn what the last key or update caused: no new frame for 100 ms (at most 3 s).
   * A fixed short wait raced Ink's render throttle on a busy machine.
   */
  settled(): Promise<void>;
}

export function renderAt(tree: ReactElement, columns: number, rows: number): Rendered {
  const instance = render(tree);
  Object.defineProperty(instance.stdout, 'columns', {value: columns, configurable: true});
  Object.defineProperty(instance.stdout, 'rows', {value: rows, configurable: true});
  instance.stdout.emit('resize');
  return instance;
}

/** The last frame as plain lines (no colour codes). */
export function lines(frame: string | undefined): string[] {
  return stripVTControlCharacters(frame ?? '').split('\n');
}

export async function renderApp(opts: {columns?: number; rows?: number; state?: LiveState; color?: boolean} = {}): Promise<RenderedApp> {
  const store: LiveStore = createLiveStore(opts.state ?? makeLive());
  const commands: Command[] = [];
  const dispatch = (c: Command) => {
    commands.push(c);
  };
  const instance = renderAt(
    <App store={store} dispatch={dispatch} maxFps={100} color={opts.color ?? false} />,
    opts.columns ?? 120,
    opts.rows ?? 40,
  );
  const settled = async () => {
    const until = Date.now() + 3000;
    let seen = -1;
    while (instance.frames.length !== seen && Date.now() < until) {
      seen = instance.frames.length;
      await tick(100);
    }
  };
  await settled();
  return {...instance, store, commands, frame: () => stripVTControlCharacters(instance.lastFrame() ?? ''), settled};
}
