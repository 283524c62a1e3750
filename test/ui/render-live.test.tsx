// renderLive with fake terminal streams: Ctrl-C must reach the controller as `stop`, not end the process.
import {EventEmitter} from 'node:events';
import {describe, expect, test} from 'vitest';
import {makeLive} from './fixtures.js';
import type {Command} from '../../source/plan/commands.js';

// Ink decides once, when it loads, whether it runs in CI (then it draws only the last frame). brink's CLI
// clears CI before loading the live view, since a person is at the terminal; this test does the same.
process.env.CI = 'false';
process.env.CONTINUOUS_INTEGRATION = 'false';
const {renderLive} = await import('../../source/ui/render-live.js');
const {createLiveStore} = await import('../../source/ui/store.js');
const {tick} = await import('./render-at.js');

class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  output = '';
  write = (chunk: string) => {
    this.output += chunk;
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  rawMode = false;
  private data: string | null = null;
  setEncoding() {}
  setRawMode(on: boolean) {
    this.rawMode = on;
  }
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  write(data: string) {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
}

async function until(ok: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok() && Date.now() < end) await tick(20);
}

describe('renderLive', () => {
  test('ctrl-c dispatches stop and leaves unmounting to the caller', async () => {
    const stdout = new FakeStdout();
    const stdin = new FakeStdin();
    const commands: Command[] = [];
    const view = renderLive(createLiveStore(makeLive()), (c) => commands.push(c), {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      color: false,
    });
    let exited = false;
    const exit = view.waitUntilExit().then(() => {
      exited = true;
    });
    // Polled rather than a fixed wait: Ink draws on its own schedule, later on a busy machine.
    await until(() => stdout.output.includes('step 6 of 10'));
    expect(stdin.rawMode).toBe(true);
    expect(stdout.output).toContain('step 6 of 10');
    stdin.write('\u0003');
    await until(() => commands.length > 0);
    await tick(50); // and nothing more arrives
    expect(commands).toEqual([{type: 'stop'}]);
    expect(exited).toBe(false);
    view.unmount();
    await exit;
    expect(exited).toBe(true);
  });
});
