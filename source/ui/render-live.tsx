// Mounts the live view. Ctrl-C does not kill the process: it dispatches `stop`, so the controller can
// wind the run down and print its summary; the caller unmounts when it is done.
import {render} from 'ink';
import App from './app.js';
import type {LiveStore} from './store.js';
import type {Command} from '../plan/commands.js';

export interface RenderLiveOptions {
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  readonly stderr?: NodeJS.WriteStream;
  /** Most re-renders a second from store updates. @default 4 */
  readonly maxFps?: number;
  /** Colour hints. @default on unless NO_COLOR is set */
  readonly color?: boolean;
}

export interface LiveView {
  waitUntilExit(): Promise<void>;
  unmount(): void;
}

export function renderLive(store: LiveStore, dispatch: (command: Command) => void, options: RenderLiveOptions = {}): LiveView {
  const {stdout, stdin, stderr, maxFps, color} = options;
  const instance = render(
    <App store={store} dispatch={dispatch} {...(maxFps !== undefined ? {maxFps} : {})} {...(color !== undefined ? {color} : {})} />,
    {
      exitOnCtrlC: false,
      patchConsole: false,
      ...(stdout ? {stdout} : {}),
      ...(stdin ? {stdin} : {}),
      ...(stderr ? {stderr} : {}),
    },
  );
  return {
    waitUntilExit: async () => {
      await instance.waitUntilExit();
    },
    unmount: () => {
      instance.unmount();
    },
  };
}
